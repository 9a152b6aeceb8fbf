#!/usr/bin/env bash
# Build the one-folder bundle from the spec and start it the way a user's PC would, checking that it
# comes up ("startup complete" in its log) and that the command line of the same program works.
# On Windows run the same PyInstaller command, then `makensis installer/tthc_desk.nsi` for the installer.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export UV_PYTHON_DOWNLOADS=never
OUT="${1:-$(mktemp -d)}"
uv run --with pyinstaller==6.22.3 pyinstaller installer/tthc_desk.spec --noconfirm \
    --distpath "$OUT/dist" --workpath "$OUT/build" >"$OUT/pyinstaller.log" 2>&1 \
    || { tail -n 40 "$OUT/pyinstaller.log"; exit 1; }
APP="$OUT/dist/TTHCDesk/TTHCDesk"
DATA="$OUT/data"
QT_QPA_PLATFORM=offscreen "$APP" --self-test --data-dir "$DATA" --user admin >/dev/null 2>&1
grep -q "startup complete" "$DATA/logs/tthc_desk.log" || { echo "bundle did not start"; cat "$DATA/logs/tthc_desk.log"; exit 1; }
"$APP" --data-dir "$DATA" deadline --received "2025-01-24 16:00" --amount 3 --unit working_days \
    | grep -q "05/02/2025" || { echo "bundle CLI failed"; exit 1; }
"$APP" --data-dir "$DATA" --now "2026-11-20 10:00" demo --cases 200 >/dev/null
"$APP" --data-dir "$DATA" print receipt "$("$APP" --data-dir "$DATA" --now "2026-11-20 10:00" queue --limit 1 | cut -f1)" \
    -o "$OUT/receipt.pdf" >/dev/null
echo "bundle OK: $(du -sh "$OUT/dist/TTHCDesk" | cut -f1) in $OUT/dist/TTHCDesk; receipt printed to $OUT/receipt.pdf"
