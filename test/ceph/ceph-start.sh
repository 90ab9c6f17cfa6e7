#!/bin/bash
# Single-node Ceph (one monitor, one OSD, radosgw) on 127.0.0.1 with no auth,
# in the foreground: the S3-compatible server the S3 tile-store tests run
# against. Prints CEPH-RGW-READY once S3 users exist; stop it with SIGTERM
# (radosgw is stopped first: it hangs if the cluster vanishes under it).
#
# Usage: ceph-start.sh DIR RGW_PORT [MON_PORT] [memstore|bluestore]
# S3 credentials: TESTACCESSKEY / TESTSECRETKEY. Both ports are parameters so
# several instances (e.g. parallel test files) can run side by side.
# Adapted from the verified reference in shared/tools/ceph-s3/ceph-start.sh.
set -e
C=$1; PORT=$2; MON_PORT=${3:-6789}; STORE=${4:-memstore}
if [ -z "$C" ] || [ -z "$PORT" ]; then
  echo "usage: $0 DIR RGW_PORT [MON_PORT] [memstore|bluestore]" >&2; exit 2
fi
for tool in ceph-mon ceph-osd radosgw radosgw-admin monmaptool ceph; do
  command -v $tool >/dev/null || { echo "ceph-start: $tool not found; install: apt-get install -y --no-install-recommends radosgw ceph-mon ceph-osd" >&2; exit 3; }
done

# One cluster at a time on this machine: two clusters starting side by side
# on two cores were seen to fail (the OSD never came up: "wrong fsid"). The
# lock is held, through the daemons that inherit fd 9, until all have exited.
exec 9>"${CEPH_START_LOCK:-/tmp/fractile-ceph-start.lock}"
flock -w "${CEPH_LOCK_WAIT_SECONDS:-300}" 9 || { echo "ceph-start: another cluster held the lock too long" >&2; exit 4; }
echo "CEPH-LOCK-ACQUIRED"

MON=; OSD=; RGW=
stop_all() {
  set +e
  [ -n "$RGW" ] && { kill $RGW 2>/dev/null; sleep 1; kill -9 $RGW 2>/dev/null; }
  [ -n "$OSD" ] && kill $OSD 2>/dev/null
  [ -n "$MON" ] && kill $MON 2>/dev/null
  wait
  exit 0
}
trap stop_all TERM INT

fresh=0; [ -f $C/ceph.conf ] || fresh=1
mkdir -p $C/{run,log,mon/ceph-a,osd/ceph-0,rgw}
if [ $fresh = 1 ]; then
FSID=$(cat /proc/sys/kernel/random/uuid)
cat > $C/ceph.conf <<CONF
[global]
fsid = $FSID
mon host = v1:127.0.0.1:$MON_PORT
public addr = 127.0.0.1
ms bind msgr2 = false
auth cluster required = none
auth service required = none
auth client required = none
auth allow insecure global id reclaim = true
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon warn on pool no redundancy = false
mon data avail warn = 5
mon max pg per osd = 1000
run dir = $C/run
admin socket = $C/run/\$name.asok
log file = $C/log/\$name.log
mon data = $C/mon/\$cluster-\$id
osd data = $C/osd/\$cluster-\$id
keyring = /dev/null
osd objectstore = $STORE
memstore device bytes = 2147483648
bluestore block create = true
bluestore block size = 10737418240
osd memory target = 939524096
bluestore cache autotune = true
osd max object name len = 460
osd max object namespace len = 64
[client.rgw.a]
rgw frontends = beast endpoint=127.0.0.1:$PORT
rgw data = $C/rgw
rgw thread pool size = 64
CONF
monmaptool --create --addv a "[v1:127.0.0.1:$MON_PORT]" --fsid $FSID $C/monmap >/dev/null
ceph-mon -c $C/ceph.conf --mkfs -i a --monmap $C/monmap
fi
ceph-mon -c $C/ceph.conf -i a -f & MON=$!
if [ $fresh = 1 ]; then
  U=$(cat /proc/sys/kernel/random/uuid)
  ID=$(ceph -c $C/ceph.conf osd new $U)
  ceph-osd -c $C/ceph.conf -i $ID --mkfs --osd-uuid $U 2>/dev/null
  ceph -c $C/ceph.conf osd crush add osd.$ID 1.0 host=localhost root=default >/dev/null 2>&1 || true
fi
ceph-osd -c $C/ceph.conf -i 0 -f & OSD=$!
radosgw -c $C/ceph.conf -n client.rgw.a -f & RGW=$!
# A fresh OSD sometimes exits right after start ("mon_cmd_maybe_osd_create fail: 'wrong
# fsid'", about one start in four on a busy 2-core machine); started again, it boots. Wait
# until the OSD is up, restarting it while it keeps dying (radosgw simply waits for it).
for attempt in 1 2 3 4 5; do
  while kill -0 $OSD 2>/dev/null; do
    ceph -c $C/ceph.conf osd stat 2>/dev/null | grep -q " 1 up" && break 2
    sleep 0.5
  done
  echo "ceph-start: osd.0 exited during start-up (attempt $attempt); starting it again" >&2
  ceph-osd -c $C/ceph.conf -i 0 -f & OSD=$!
done
if [ $fresh = 1 ]; then
  until radosgw-admin -c $C/ceph.conf user info --uid=tiles >/dev/null 2>&1 || radosgw-admin -c $C/ceph.conf user create --uid=tiles --display-name=tiles --access-key=TESTACCESSKEY --secret-key=TESTSECRETKEY >/dev/null 2>&1; do sleep 0.5; done
fi
echo "CEPH-RGW-READY"
wait
