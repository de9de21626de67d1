#pragma once
// Internal: GDCM prints warnings and debug text to stderr for files it can read anyway; our own
// one-line errors replace them. Turned off once, on first use (thread-safe static initialisation).
#include <gdcmTrace.h>

namespace l3 {

inline void quiet_gdcm() {
  static const bool done = [] {
    gdcm::Trace::WarningOff();
    gdcm::Trace::DebugOff();
    gdcm::Trace::ErrorOff();
    return true;
  }();
  (void)done;
}

}  // namespace l3
