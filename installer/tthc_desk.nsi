; NSIS installer for TTHC Desk (compiles on Linux with Debian's `nsis`: makensis installer/tthc_desk.nsi)
; Expects the PyInstaller one-folder bundle in dist\TTHCDesk (built on Windows from installer/tthc_desk.spec).
Unicode True
!include "MUI2.nsh"

!define APPNAME "TTHC Desk"
!define APPDIR "TTHCDesk"
!ifndef VERSION
  !define VERSION "0.1.0"
!endif

Name "${APPNAME} ${VERSION}"
OutFile "..\dist\TTHCDesk-${VERSION}-setup.exe"
InstallDir "$LOCALAPPDATA\Programs\${APPDIR}"
RequestExecutionLevel user
SetCompressor /SOLID lzma

!define MUI_ABORTWARNING
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN "$INSTDIR\TTHCDesk.exe"
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "Vietnamese"

Section "Cài đặt"
  SetOutPath "$INSTDIR"
  File /r "..\dist\TTHCDesk\*.*"
  WriteUninstaller "$INSTDIR\Uninstall.exe"
  CreateDirectory "$SMPROGRAMS\${APPNAME}"
  CreateShortCut "$SMPROGRAMS\${APPNAME}\${APPNAME}.lnk" "$INSTDIR\TTHCDesk.exe"
  CreateShortCut "$SMPROGRAMS\${APPNAME}\${APPNAME} (dữ liệu mẫu).lnk" "$INSTDIR\TTHCDesk.exe" "--demo"
  CreateShortCut "$DESKTOP\${APPNAME}.lnk" "$INSTDIR\TTHCDesk.exe"
  WriteRegStr HKCU "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APPDIR}" "DisplayName" "${APPNAME}"
  WriteRegStr HKCU "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APPDIR}" "UninstallString" "$INSTDIR\Uninstall.exe"
  WriteRegStr HKCU "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APPDIR}" "DisplayVersion" "${VERSION}"
SectionEnd

; The data folder (%LOCALAPPDATA%\TTHCDesk) is never removed: cases must outlive the program.
Section "Uninstall"
  RMDir /r "$INSTDIR"
  Delete "$DESKTOP\${APPNAME}.lnk"
  RMDir /r "$SMPROGRAMS\${APPNAME}"
  DeleteRegKey HKCU "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APPDIR}"
SectionEnd
