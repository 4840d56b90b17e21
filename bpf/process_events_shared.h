/* The one header shared by the process tracker's BPF programs
 * (process_events.bpf.c) and their userspace owner (agent/procwatch/).
 * Plain C with fixed-width kernel types, laid out the same by both
 * compilers. Process ids are as keepvipd's pid namespace numbers them. */
#ifndef KEEPVIP_PROCESS_EVENTS_SHARED_H
#define KEEPVIP_PROCESS_EVENTS_SHARED_H

#include <linux/types.h>

#define KV_PROC_COMM_LEN 16
/* Bytes of a command line (argv, NUL-separated) passed up; a longer one is
 * cut here. vrrp_track_process refuses longer process lines. */
#define KV_PROC_ARGS_LEN 512
/* Names the kernel lets through: a comm, or the first bytes of argv[0]. */
#define KV_PROC_NAME_LEN 64
#define KV_PROC_MAX_NAMES 256
/* Processes currently matching some name, and their forked children. */
#define KV_PROC_MAX_WATCHED 16384
#define KV_PROC_RING_BYTES (256 * 1024)
/* struct pid_namespace nesting limit of the kernel (MAX_PID_NS_LEVEL). */
#define KV_PROC_MAX_NS_LEVEL 32

enum kv_proc_event_kind {
  KV_PROC_EXEC = 1,
  KV_PROC_EXIT = 2,
  KV_PROC_FORK = 3,   /* pid is the child, parent the parent */
  KV_PROC_RENAME = 4, /* prctl(PR_SET_NAME) and the like: comm is the new name */
  KV_PROC_SCAN = 5,   /* one running process, from the task iterator */
};

/* args_valid: 0 when the command line could not be read (a task iterator
 * without bpf_copy_from_user_task, kernels before 5.18). */
struct kv_proc_event {
  __u32 kind;
  __s32 pid;
  __s32 parent;
  __u16 args_len;
  __u8 args_valid;
  __u8 pad;
  char comm[KV_PROC_COMM_LEN];
  char args[KV_PROC_ARGS_LEN];
};

struct kv_proc_name {
  char name[KV_PROC_NAME_LEN];
};

/* Indexes of the per-CPU counters: what each tracepoint saw (only
 * thread-group leaders, and only process forks, count as seen) and what it
 * passed to userspace; lost = events the ring buffer had no room for. */
enum kv_proc_counter {
  KV_PC_EXEC_SEEN = 0,
  KV_PC_EXEC_SENT,
  KV_PC_EXIT_SEEN,
  KV_PC_EXIT_SENT,
  KV_PC_FORK_SEEN,
  KV_PC_FORK_SENT,
  KV_PC_RENAME_SEEN,
  KV_PC_RENAME_SENT,
  KV_PC_LOST,
  KV_PC_COUNT
};

#endif
