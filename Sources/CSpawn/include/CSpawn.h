#ifndef TACK_CSPAWN_H
#define TACK_CSPAWN_H

#include <spawn.h>

/// glibc's GNU posix_spawn extensions, which Swift does not import: start in a new session, close
/// every descriptor from `lowest` up, and change directory in the child before exec.
extern const short tack_spawn_setsid_flag;
int tack_spawn_addclosefrom(posix_spawn_file_actions_t *actions, int lowest);
int tack_spawn_addchdir(posix_spawn_file_actions_t *actions, const char *path);

#endif
