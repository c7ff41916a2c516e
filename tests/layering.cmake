# Checks the layering rules (style.md; issue 13: ui and sync are two wings over core).
# - core depends on Qt Core and Sql only, never Widgets or Network:
#     -DCORE_LINK=<core's LINK_LIBRARIES> -DCORE_DIR=<core sources>
# - ui links core (and Qt Widgets/Svg), never sync, and includes nothing from sync/ (any file name under sync/,
#   with or without its folder, e.g. "syncservice.h", "llm/llmkeystore.h", "llmkeystore.h") or from core/db/
#   ("db/..."):
#     -DUI_LINK=<ui's LINK_LIBRARIES> -DUI_DIR=<ui sources> -DSYNC_DIR=<sync sources>
cmake_minimum_required(VERSION 3.25)
set(problems "")

# Fails when `link` (a LINK_LIBRARIES list) names anything outside `allowed`.
function(check_links layer link allowed)
    foreach(lib IN LISTS link)
        string(REGEX REPLACE "^\\$<LINK_ONLY:(.*)>$" "\\1" lib "${lib}")
        if(NOT lib IN_LIST allowed)
            string(APPEND problems "${layer} links ${lib}, which is not allowed\n")
        endif()
    endforeach()
    set(problems "${problems}" PARENT_SCOPE)
endfunction()

# Fails when fewer than 10 sources were found: the check would be looking in the wrong place.
function(check_count layer dir sources)
    list(LENGTH sources count)
    if(count LESS 10)
        string(APPEND problems "only ${count} ${layer} sources found under ${dir}: the check is looking in the wrong place\n")
    endif()
    set(problems "${problems}" PARENT_SCOPE)
endfunction()

if(DEFINED CORE_DIR)
    check_links(core "${CORE_LINK}" "Qt6::Core;Qt6::Sql;SQLite::SQLite3;fieldbook_options")
    file(GLOB_RECURSE sources "${CORE_DIR}/*.h" "${CORE_DIR}/*.cpp")
    foreach(source IN LISTS sources)
        file(STRINGS "${source}" lines REGEX "#include <(QtWidgets|QtNetwork|QtGui|QWidget|QNetwork[A-Za-z]*|QApplication|QGuiApplication)")
        if(lines)
            string(APPEND problems "${source} includes a GUI or network header: ${lines}\n")
        endif()
    endforeach()
    check_count(core "${CORE_DIR}" "${sources}")
    list(LENGTH sources count)
    set(summary "core layering ok: ${count} sources, links ${CORE_LINK}")
endif()

if(DEFINED UI_DIR)
    # Anything else (sync, Qt6::Network, ...) is a new dependency of the screens: make it a choice, here.
    check_links(ui "${UI_LINK}" "core;Qt6::Widgets;Qt6::Svg;fieldbook_options")
    # Every header of sync, by its path under sync/ and by its bare name (sync's include path allows both
    # "llm/llmkeystore.h" and, from inside llm/, "llmkeystore.h").
    file(GLOB_RECURSE syncHeaders RELATIVE "${SYNC_DIR}" "${SYNC_DIR}/*.h")
    set(forbidden "")
    foreach(header IN LISTS syncHeaders)
        get_filename_component(name "${header}" NAME)
        list(APPEND forbidden "${header}" "${name}")
    endforeach()
    list(REMOVE_DUPLICATES forbidden)
    list(LENGTH syncHeaders syncCount)
    if(syncCount LESS 5)
        string(APPEND problems "only ${syncCount} sync headers found under ${SYNC_DIR}: the check is looking in the wrong place\n")
    endif()
    file(GLOB_RECURSE sources "${UI_DIR}/*.h" "${UI_DIR}/*.cpp")
    foreach(source IN LISTS sources)
        file(STRINGS "${source}" lines REGEX "^[ \t]*#[ \t]*include[ \t]*[\"<]")
        foreach(line IN LISTS lines)
            string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]*[\"<]([^\">]*)[\">].*$" "\\1" included "${line}")
            if(included MATCHES "^(core/)?db/")
                string(APPEND problems "${source} includes ${included}, a header of core/db (ui never reaches the database)\n")
            elseif(included IN_LIST forbidden)
                string(APPEND problems "${source} includes ${included}, a header of sync (ui talks to sync through core's syncapi/)\n")
            endif()
        endforeach()
    endforeach()
    check_count(ui "${UI_DIR}" "${sources}")
    list(LENGTH sources count)
    set(summary "ui layering ok: ${count} sources, none includes sync (${syncCount} headers) or db/, links ${UI_LINK}")
endif()

if(NOT DEFINED CORE_DIR AND NOT DEFINED UI_DIR)
    string(APPEND problems "nothing to check: give -DCORE_DIR=... or -DUI_DIR=...\n")
endif()
if(problems)
    message(FATAL_ERROR "${problems}")
endif()
message(STATUS "${summary}")
