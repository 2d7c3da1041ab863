# The hoptrace image: JRE 17, libpcap, and the hoptrace launcher as entry point. One image for the
# sensor DaemonSet (run as root with the capabilities the chart grants) and the Kafka Streams
# detection job (run as uid 10001); deploy/helm/hoptrace deploys it.
#
#   docker build -t hoptrace/hoptrace:0.1.0 .
#   docker run --rm hoptrace/hoptrace:0.1.0 demo --exit-after-replay --speed 0
#
# The target `flink` (docker build --target flink -t hoptrace/hoptrace-flink:0.1.0 .) is the image
# the Flink Kubernetes Operator runs: the Flink 2.2 distribution with hoptrace's cluster job jar
# (flink/target/hoptrace-flink-*-job.jar: entry class io.hoptrace.flink.DetectionJobMain, every
# dependency but Flink itself shaded in) as usrlib/hoptrace-flink-job.jar.

# --- build: the CLI and its runtime class path (cli/target/lib), as the launcher expects them,
# and the Flink cluster job jar
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests -Dspotless.check.skip=true package -pl cli -am \
 && cp flink/target/hoptrace-flink-*-job.jar /src/hoptrace-flink-job.jar

# --- flink: the detection job's image for the Flink Kubernetes Operator (flinkVersion v2_2)
FROM flink:2.2.0-java17 AS flink
COPY --from=build /src/hoptrace-flink-job.jar /opt/flink/usrlib/hoptrace-flink-job.jar

# --- the hoptrace image (default target)
FROM eclipse-temurin:17-jre-jammy AS hoptrace
# libpcap0.8: live capture (pcap4j); iproute2: the node inventory (ip, bridge) and --netns;
# tcpdump: capture inside pod namespaces through `ip netns exec` (--pod-iface)
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpcap0.8 iproute2 tcpdump \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 10001 hoptrace \
 && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent hoptrace
WORKDIR /opt/hoptrace
COPY --from=build /src/hoptrace /opt/hoptrace/hoptrace
COPY --from=build /src/cli/target/hoptrace-cli-*.jar /opt/hoptrace/cli/target/
COPY --from=build /src/cli/target/lib/ /opt/hoptrace/cli/target/lib/
# the bundled lab recordings (hoptrace demo, found through HOPTRACE_HOME)
COPY --from=build /src/deploy/lab/recordings/ /opt/hoptrace/deploy/lab/recordings/
USER 10001:10001
ENTRYPOINT ["/opt/hoptrace/hoptrace"]
CMD ["--help"]
