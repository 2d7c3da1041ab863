// UDP flood at a fixed rate: flood DST PORT PPS SECONDS  (one source port, 64-byte payload)
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
int main(int argc, char **argv) {
  if (argc != 5) { fprintf(stderr, "usage: flood DST PORT PPS SECONDS\n"); return 2; }
  int s = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in d = {0}; d.sin_family = AF_INET; d.sin_port = htons(atoi(argv[2]));
  inet_pton(AF_INET, argv[1], &d.sin_addr);
  if (connect(s, (struct sockaddr *)&d, sizeof d)) { perror("connect"); return 1; }
  double pps = atof(argv[3]), secs = atof(argv[4]);
  enum { B = 64 };
  char buf[64] = {0}; struct iovec iov = {buf, sizeof buf};
  struct mmsghdr m[B]; memset(m, 0, sizeof m);
  for (int i = 0; i < B; i++) { m[i].msg_hdr.msg_iov = &iov; m[i].msg_hdr.msg_iovlen = 1; }
  double t0 = now(); long sent = 0;
  while (1) {
    double el = now() - t0;
    if (el >= secs) break;
    long due = (long)(el * pps);
    if (sent >= due) { usleep(200); continue; }
    int n = due - sent > B ? B : (int)(due - sent);
    int r = sendmmsg(s, m, n, 0);
    if (r > 0) sent += r; else sent += n; // ENOBUFS/ECONNREFUSED: count as attempted
  }
  printf("sent %ld in %.2f s (%.0f pps)\n", sent, now() - t0, sent / (now() - t0));
  return 0;
}
