# Sourced by the other scripts: install Debian packages that are missing, as root, quietly.
#   debian_install NAME PACKAGE...   NAME is the calling script, for its messages (on stderr)
debian_install() {
  local name=$1
  shift
  if [[ $(id -u) -ne 0 ]]; then
    echo "$name: please install the Debian packages $* (needs root)" >&2
    exit 1
  fi
  echo "$name: installing $*…" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}
