# Sourced by ./svi. Installs what the server and the tests need on a fresh Debian/Ubuntu machine, idempotently.

svi_as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

svi_apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "svi: installing ${missing[*]} (apt)" >&2
  if [ -z "${SVI_APT_UPDATED:-}" ]; then svi_as_root apt-get update -qq; export SVI_APT_UPDATED=1; fi
  svi_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

svi_ensure_dotnet() {
  if command -v dotnet >/dev/null 2>&1 && dotnet --list-sdks 2>/dev/null | grep -q '^10\.'; then return 0; fi
  if [ -x "$HOME/.dotnet/dotnet" ]; then export PATH="$HOME/.dotnet:$PATH"; export DOTNET_ROOT="$HOME/.dotnet"; return 0; fi
  echo "svi: the .NET 10 SDK is missing; installing it" >&2
  if apt-cache show dotnet-sdk-10.0 >/dev/null 2>&1; then
    svi_apt_install dotnet-sdk-10.0
  else
    svi_apt_install curl ca-certificates libicu-dev
    curl -fsSL https://dot.net/v1/dotnet-install.sh -o /tmp/dotnet-install.sh
    bash /tmp/dotnet-install.sh --channel 10.0 --install-dir "$HOME/.dotnet" >&2
    export PATH="$HOME/.dotnet:$PATH"; export DOTNET_ROOT="$HOME/.dotnet"
  fi
}

# What serving needs: ffmpeg (encode), PostgreSQL (jobs), HEIC tools.
svi_server_prerequisites() {
  svi_apt_install ffmpeg postgresql libheif-examples
  svi_ensure_dotnet
}

# What the tests need on top: Node.js for the official openai client, SentencePiece for tokenizer parity,
# headless Chromium and its driver for the playground's browser tests.
svi_test_prerequisites() {
  svi_server_prerequisites
  command -v npm >/dev/null 2>&1 || svi_apt_install nodejs npm
  svi_apt_install python3-sentencepiece sentencepiece chromium chromium-driver
}
