#!/bin/sh
# A webhook receiver for 'sitrep declare --from-alert': socat runs this once
# per connection with the HTTP request on standard input; the body goes to
# sitrep, and the answer (200, or 500 so Alertmanager tries again) back.
#
#   socat TCP-LISTEN:9095,bind=127.0.0.1,reuseaddr,fork EXEC:docs/alert-receiver.sh
#
# sitrep's own output goes to standard error: socat's log.
cr=$(printf '\r')
len=0
while IFS= read -r line; do
	line=${line%"$cr"}
	[ -z "$line" ] && break
	case $line in
	[Cc]ontent-[Ll]ength:*) len=$(printf '%s' "${line#*:}" | tr -dc 0-9) ;;
	esac
done
if head -c "${len:-0}" | sitrep declare --from-alert - >&2; then
	status="200 OK"
else
	status="500 Internal Server Error"
fi
printf 'HTTP/1.1 %s\r\nContent-Length: 0\r\nConnection: close\r\n\r\n' "$status"
