// keepalived's check_script_secure() (lib/notify.c), our own code: is a
// script's program runnable by the account it runs as, and, if it runs as
// root, could a non-root user change what runs?
//
//  - A first word without '/' is looked up in `search_path` (PATH) as the
//    account would find it; keepalived warns and so does the caller. A
//    relative path is taken from `cwd`.
//  - The program must exist, be a regular file and be executable by the
//    account: otherwise it is unusable (keepalived disables the script).
//  - When it runs as root (uid or gid 0, or a set-user-ID-root /
//    set-group-ID-root file) every entry met on the way is checked: "/",
//    each directory, each symbolic link and its target, the file itself.
//    keepalived checks the path with symlinks resolved plus the file's own
//    name; walking the path as the kernel does also covers the links. An
//    entry is unsafe when a non-root user owns it, or, for a file or a
//    directory without the sticky bit, when a non-root group or everyone may
//    write it.
#pragma once

#include <string>
#include <string_view>

#include "config/script_host.h"

namespace keepvip::config {

// Whether the file at `path` starts as exec() runs it: "#!" or an ELF
// header. A file that cannot be read (execute-only) is taken as a binary.
bool starts_as_executable(const std::string& path);

ProgramReport inspect_program(const std::string& first_word, const Account& as,
                              std::string_view search_path, const std::string& cwd);

}  // namespace keepvip::config
