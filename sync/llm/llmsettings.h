#pragma once

// The model settings are plain data in core (syncapi/llmsettings.h), so the settings dialog can edit them
// without linking sync; sync's code keeps its names for them.
#include "syncapi/llmsettings.h"

namespace fb::sync {

using LlmProvider = fb::LlmProvider;
using LlmSettings = fb::LlmSettings;
using fb::toString;

} // namespace fb::sync
