#!/bin/sh
# Regenerates docs/hop-path.png, the hop-path page of a vxlan-blocked flow, from a test rather than by
# hand: HopPathPageIT replays the vxlan-blocked recording into a store (`analyze --store`), serves
# it (`serve`), checks the page in Debian's headless chromium (--dump-dom: the one red segment
# node-b/ens33 -> node-b/flannel.1 with the hint) and screenshots it (--screenshot, 1280x760) to
# cli/target/hop-path.png, which this script copies here. Needs `chromium` (apt-get install
# chromium; .ci/run installs it) and Java 17 + Maven. Usage: docs/hop-path.sh [extra mvn options]
set -eu
cd "$(dirname "$0")/.."
mvn -B -q verify -pl cli -am -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=HopPathPageIT -Dfailsafe.failIfNoSpecifiedTests=false "$@"
cp cli/target/hop-path.png docs/hop-path.png
echo "docs/hop-path.png: $(wc -c < docs/hop-path.png) bytes"
