# Sourced (not run): `debian_apt DIR TYPE [ARCH]` makes a private apt state in DIR for Debian
# bookworm (TYPE deb or deb-src; ARCH e.g. arm64 for binary packages of that architecture only),
# runs its `update`, and leaves the options in the array debian_apt_opts. With them apt-get
# downloads packages and sources into DIR without touching the machine's apt sources or dpkg:
#   apt-get -qq "${debian_apt_opts[@]}" install --download-only -y PKG   (the whole closure)
debian_apt() {
  local dir=$1 type=$2 arch=${3:-}
  mkdir -p "$dir/parts" "$dir/lists/partial" "$dir/cache/archives/partial"
  {
    printf 'Types: %s\nURIs: http://deb.debian.org/debian\nSuites: bookworm\nComponents: main\n' "$type"
    [ -z "$arch" ] || printf 'Architectures: %s\n' "$arch"
    printf 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n'
  } >"$dir/parts/debian.sources"
  # No installed packages (status /dev/null); root downloads into DIR (the _apt user may not).
  debian_apt_opts=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$dir/parts"
    -o "Dir::State::Lists=$dir/lists" -o "Dir::Cache=$dir/cache" -o Dir::State::status=/dev/null
    -o Debug::NoLocking=1 -o APT::Sandbox::User=root)
  [ -z "$arch" ] || debian_apt_opts+=(-o "APT::Architecture=$arch" -o "APT::Architectures::=$arch")
  apt-get -qq "${debian_apt_opts[@]}" update >&2
}
