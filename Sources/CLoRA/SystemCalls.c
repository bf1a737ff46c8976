#define _GNU_SOURCE
#include "CLoRA.h"

#include <errno.h>
#include <sched.h>
#include <malloc.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

int lora_retain_freed_memory(int one_heap) {
    // A fixed threshold also turns off glibc's dynamic one, which starts at 128 KiB.
    int mmap = mallopt(M_MMAP_THRESHOLD, 32 << 20);
    int trim = mallopt(M_TRIM_THRESHOLD, 256 << 20);
    // One heap for every thread: the shards of a step run on whichever pool threads are free, and
    // with a heap per thread each would keep its own copy of the freed activations.
    int arenas = one_heap ? mallopt(M_ARENA_MAX, 1) : 1;
    return mmap && trim && arenas;
}

int lora_thread_niceness(void) {
    errno = 0;
    return getpriority(PRIO_PROCESS, (id_t)gettid());
}

int lora_set_thread_niceness(int niceness) {
    return setpriority(PRIO_PROCESS, (id_t)gettid(), niceness);
}

int lora_thread_id(void) {
    return (int)gettid();
}

int lora_name_thread(const char *name) {
    return prctl(PR_SET_NAME, (unsigned long)name, 0, 0, 0);
}

int lora_set_thread_idle_policy(void) {
    struct sched_param param = {0};
    return sched_setscheduler(0, SCHED_IDLE, &param);
}
