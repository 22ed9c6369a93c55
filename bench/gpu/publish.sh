#!/usr/bin/env bash
# Publishes the self-contained server for the GPU proof kit into bench/gpu/publish/ (ignored by git; the device run
# carries it): one compressed single-file `svi` for linux-x64 with the .NET runtime inside and no libtorch
# (-p:SviTorchBackend=system), so that it fits the device machine's 64 MiB carry limit and binds to the libtorch of
# that machine's PyTorch, which has the CUDA libraries (bench/gpu/run.sh puts it on LD_LIBRARY_PATH).
set -euo pipefail
KIT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$KIT/../.." && pwd)"
# A copy of the sources, so that this restore (another backend) never touches the checkout's obj/ folders.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
git -C "$ROOT" ls-files -z --cached --others --exclude-standard | (cd "$ROOT" && xargs -0 tar -c 2>/dev/null) | tar -x -C "$work"
rm -rf "$KIT/publish"
dotnet publish "$work/src/Svi.Server/Svi.Server.csproj" -c Release -r linux-x64 --self-contained -nologo -v q \
  -p:SviTorchBackend=system -p:PublishSingleFile=true -p:EnableCompressionInSingleFile=true \
  -p:IncludeNativeLibrariesForSelfExtract=true -p:DebugType=none -o "$KIT/publish"
du -sh "$KIT/publish"
