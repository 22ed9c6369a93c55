#!/usr/bin/env bash
# Publishes the self-contained server for the GPU proof kit: one compressed single-file `svi` for linux-x64 with the
# .NET runtime inside, into bench/gpu/publish/ (ignored by git; the device call carries it) or into DIR.
#   bench/gpu/publish.sh [DIR]
# It must fit, with the repository's tracked files, in the 64 MiB a device call carries (GpuKitTests checks it), so:
# - no libtorch (-p:SviTorchBackend=system): TorchSharp binds to the libtorch of the machine's PyTorch, which has the
#   CUDA libraries (bench/gpu/run.sh puts it on LD_LIBRARY_PATH);
# - no ONNX Runtime natives (interpolation) and no Magick.NET native (HEIC input), which the kit never loads
#   (-p:SviGpuKit=true, build/GpuKitPublish.targets);
# - the framework trimmed (TrimMode=partial: only the assemblies marked trimmable, i.e. .NET, ASP.NET Core and a few
#   packages, lose what nothing references; svi, TorchSharp, Hangfire and the other packages stay whole).
# GpuKitTests checks the build on the commands the kit runs (bench dit, bench vae, generate) and on `serve` up to a job
# the worker picks up (which needed the mscorlib facade kept: build/GpuKitPublish.targets).
set -euo pipefail
KIT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$KIT/../.." && pwd)"
dest="$(mkdir -p "${1:-$KIT/publish}" && cd "${1:-$KIT/publish}" && pwd)"
# A copy of the sources, so that this restore (another backend) never touches the checkout's obj/ folders.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
git -C "$ROOT" ls-files -z --cached --others --exclude-standard | (cd "$ROOT" && xargs -0 tar -c 2>/dev/null) | tar -x -C "$work"
find "$dest" -mindepth 1 -delete
# The trim warnings are left unreported (not an error, as TreatWarningsAsErrors would make them): the untrimmed
# assemblies are kept whole, and the kit's CPU form runs this build (GpuKitTests). The feature switches that trimming
# turns off by default and that the product relies on stay on: reflection-based System.Text.Json (the CLI's and the
# API's JSON), DefaultValueAttribute, and no trimming-only check of open generic services.
dotnet publish "$work/src/Svi.Server/Svi.Server.csproj" -c Release -r linux-x64 --self-contained -nologo -v q \
  -p:SviTorchBackend=system -p:SviGpuKit=true \
  -p:PublishTrimmed=true -p:TrimMode=partial -p:SuppressTrimAnalysisWarnings=true \
  -p:JsonSerializerIsReflectionEnabledByDefault=true -p:_DefaultValueAttributeSupport=true \
  -p:VerifyDependencyInjectionOpenGenericServiceTrimmability=false \
  -p:PublishSingleFile=true -p:EnableCompressionInSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true \
  -p:DebugType=none -p:PublishDocumentationFile=false -p:PublishReferencesDocumentationFiles=false -o "$dest"
ls -l "$dest"
echo "publish: $(du -cb "$dest"/* | tail -1 | cut -f1) bytes in $dest"
