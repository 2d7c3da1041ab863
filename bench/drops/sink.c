// UDP sink: sink PORT SECONDS — receives with recvmmsg, prints the count
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
int main(int argc, char **argv) {
  int s = socket(AF_INET, SOCK_DGRAM, 0);
  int rb = 16 << 20; setsockopt(s, SOL_SOCKET, SO_RCVBUFFORCE, &rb, sizeof rb);
  struct sockaddr_in a = {0}; a.sin_family = AF_INET; a.sin_port = htons(atoi(argv[1]));
  if (bind(s, (struct sockaddr *)&a, sizeof a)) { perror("bind"); return 1; }
  struct timeval tv = {1, 0}; setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  enum { B = 256 }; static char bufs[B][128]; struct iovec iov[B]; struct mmsghdr m[B];
  memset(m, 0, sizeof m);
  for (int i = 0; i < B; i++) { iov[i].iov_base = bufs[i]; iov[i].iov_len = 128; m[i].msg_hdr.msg_iov = &iov[i]; m[i].msg_hdr.msg_iovlen = 1; }
  time_t end = time(NULL) + atoi(argv[2]); long got = 0;
  while (time(NULL) < end) { int r = recvmmsg(s, m, B, 0, NULL); if (r > 0) got += r; }
  printf("received %ld\n", got);
  return 0;
}
