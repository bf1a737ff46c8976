#define _GNU_SOURCE
#include "CSpawn.h"

const short tack_spawn_setsid_flag = POSIX_SPAWN_SETSID;

int tack_spawn_addclosefrom(posix_spawn_file_actions_t *actions, int lowest) {
    return posix_spawn_file_actions_addclosefrom_np(actions, lowest);
}

int tack_spawn_addchdir(posix_spawn_file_actions_t *actions, const char *path) {
    return posix_spawn_file_actions_addchdir_np(actions, path);
}
