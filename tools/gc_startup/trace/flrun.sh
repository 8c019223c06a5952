#!/bin/bash
# usage: flrun.sh script.py outprefix ; produces outprefix.A outprefix.T0 ...
for m in A T0 T3 T6 T9 T12 T15 T18; do
GCT_MODE=$m GCT_OUT=$2.$m gdb -q -batch -nx -x "$(dirname "$0")"/fltrace.py --args /root/.pyenv/versions/3.11.7/bin/python3.11 "$1" >/dev/null 2>$2.$m.err &
done
wait
