// SPDX-License-Identifier: GPL-2.0-or-later
/* Process events for vrrp_track_process. Tracepoints on exec, exit, fork
 * and comm changes pass up only what can change a tracked count: the exec
 * of a process whose comm or argv[0] is a name userspace asked for, and the
 * exit, fork or rename of a process that matched such a name (or descends
 * from one). Everything else — a fork storm of unrelated processes, threads
 * coming and going — is counted and dropped here. A task iterator lists the
 * running processes once at start and after lost events; it sees every task,
 * whatever /proc's hidepid= says. Only processes of keepvipd's own pid
 * namespace (and those below it) count, numbered as keepvipd sees them.
 *
 * No vmlinux.h: the few kernel structures read are declared below with the
 * fields used, and CO-RE relocates them against the running kernel's BTF.
 * Everything here exists since Linux 5.8 (tp_btf, ring buffer, task
 * iterator); bpf_copy_from_user_task (5.18) is used only by the second
 * iterator, which the loader leaves out where the kernel lacks it. */
/* clang-format off */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
/* clang-format on */

#include "process_events_shared.h"

char LICENSE[] SEC("license") = "GPL";

struct ns_common {
  unsigned int inum;
} __attribute__((preserve_access_index));

struct pid_namespace {
  struct ns_common ns;
} __attribute__((preserve_access_index));

struct upid {
  int nr;
  struct pid_namespace* ns;
} __attribute__((preserve_access_index));

struct pid {
  unsigned int level;
  struct upid numbers[1];
} __attribute__((preserve_access_index));

struct mm_struct {
  unsigned long arg_start;
  unsigned long arg_end;
} __attribute__((preserve_access_index));

struct task_struct {
  int pid;
  int tgid;
  int exit_state;
  char comm[KV_PROC_COMM_LEN];
  struct pid* thread_pid;
  struct mm_struct* mm;
  struct task_struct* group_leader;
} __attribute__((preserve_access_index));

struct seq_file;
struct bpf_iter_meta {
  struct seq_file* seq;
} __attribute__((preserve_access_index));

struct bpf_iter__task {
  struct bpf_iter_meta* meta;
  struct task_struct* task;
} __attribute__((preserve_access_index));

/* keepvipd's pid namespace: its inode number and nesting level. */
const volatile __u32 target_pidns_inum = 0;
const volatile __u32 target_pidns_level = 0;

/* Events for userspace, bounded: when it is full, events are lost and counted. */
struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, KV_PROC_RING_BYTES);
} events SEC(".maps");

/* The names userspace tracks (comm values and argv[0] prefixes); written by userspace. */
struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, KV_PROC_MAX_NAMES);
  __type(key, struct kv_proc_name);
  __type(value, __u8);
} names SEC(".maps");

/* Kernel tgids of processes whose exit, fork or rename userspace hears. */
struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, KV_PROC_MAX_WATCHED);
  __type(key, __u32);
  __type(value, __u8);
} watched SEC(".maps");

/* One event being built, per CPU: too large for the BPF stack. */
struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct kv_proc_event);
} scratch SEC(".maps");

/* Seen/sent/lost counters by enum kv_proc_counter (named for bpftool). */
struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, KV_PC_COUNT);
  __type(key, __u32);
  __type(value, __u64);
} kv_proc_counts SEC(".maps");

static __always_inline void count(__u32 index) {
  __u64* value = bpf_map_lookup_elem(&kv_proc_counts, &index);
  if (value) *value += 1;
}

/* The task's pid as keepvipd's pid namespace numbers it; 0 when that
 * namespace cannot see it. */
static __always_inline int visible_pid(struct task_struct* task) {
  struct pid* pid = BPF_CORE_READ(task, thread_pid);
  if (!pid) return 0;
  __u32 level = BPF_CORE_READ(pid, level);
  if (level < target_pidns_level) return 0;
  struct upid up = {};
  unsigned long at = (unsigned long)pid + bpf_core_field_offset(struct pid, numbers) +
                     (unsigned long)target_pidns_level * sizeof(struct upid);
  if (bpf_probe_read_kernel(&up, sizeof(up), (void*)at)) return 0;
  if (!up.ns || BPF_CORE_READ(up.ns, ns.inum) != target_pidns_inum) return 0;
  return up.nr;
}

static __always_inline int is_leader(struct task_struct* task) {
  return BPF_CORE_READ(task, pid) == BPF_CORE_READ(task, tgid);
}

static __always_inline struct kv_proc_event* new_event(__u32 kind, int pid) {
  __u32 zero = 0;
  struct kv_proc_event* e = bpf_map_lookup_elem(&scratch, &zero);
  if (!e) return 0;
  e->kind = kind;
  e->pid = pid;
  e->parent = 0;
  e->args_len = 0;
  e->args_valid = 0;
  e->pad = 0;
  /* The buffer is reused: no name match on an earlier event's line. */
  e->args[0] = 0;
  return e;
}

static __always_inline int name_wanted(const char* name) {
  struct kv_proc_name key;
  __builtin_memset(&key, 0, sizeof(key));
  bpf_probe_read_kernel_str(key.name, sizeof(key.name), name);
  return bpf_map_lookup_elem(&names, &key) != 0;
}

static __always_inline void send(struct kv_proc_event* e, __u32 sent_counter) {
  if (bpf_ringbuf_output(&events, e, sizeof(*e), 0) == 0)
    count(sent_counter);
  else
    count(KV_PC_LOST);
}

static __always_inline void watch(__u32 tgid) {
  __u8 one = 1;
  bpf_map_update_elem(&watched, &tgid, &one, BPF_ANY);
}

static __always_inline int is_watched(__u32 tgid) {
  return bpf_map_lookup_elem(&watched, &tgid) != 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(on_exec, struct task_struct* task) {
  if (!is_leader(task)) return 0;
  count(KV_PC_EXEC_SEEN);
  int pid = visible_pid(task);
  if (!pid) return 0;
  struct kv_proc_event* e = new_event(KV_PROC_EXEC, pid);
  if (!e) return 0;
  BPF_CORE_READ_STR_INTO(&e->comm, task, comm);
  /* The new image's arguments, just written by the kernel into the task
   * that is running this tracepoint: plain user memory reads. */
  struct mm_struct* mm = BPF_CORE_READ(task, mm);
  unsigned long start = BPF_CORE_READ(mm, arg_start);
  unsigned long len = BPF_CORE_READ(mm, arg_end) - start;
  if (len > KV_PROC_ARGS_LEN) len = KV_PROC_ARGS_LEN;
  if (len > 0 && bpf_probe_read_user(e->args, len, (void*)start) == 0) {
    e->args_len = len;
    e->args_valid = 1;
  }
  __u32 tgid = BPF_CORE_READ(task, tgid);
  if (name_wanted(e->comm) || name_wanted(e->args)) {
    watch(tgid);
  } else if (is_watched(tgid)) {
    /* Still sent: the process may have stopped matching. */
    bpf_map_delete_elem(&watched, &tgid);
  } else {
    return 0;
  }
  send(e, KV_PC_EXEC_SENT);
  return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(on_exit, struct task_struct* task) {
  if (!is_leader(task)) return 0;
  count(KV_PC_EXIT_SEEN);
  __u32 tgid = BPF_CORE_READ(task, tgid);
  if (!is_watched(tgid)) return 0;
  bpf_map_delete_elem(&watched, &tgid);
  int pid = visible_pid(task);
  if (!pid) return 0;
  struct kv_proc_event* e = new_event(KV_PROC_EXIT, pid);
  if (!e) return 0;
  BPF_CORE_READ_STR_INTO(&e->comm, task, comm);
  send(e, KV_PC_EXIT_SENT);
  return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(on_fork, struct task_struct* parent, struct task_struct* child) {
  if (!is_leader(child)) return 0; /* a new thread, not a new process */
  count(KV_PC_FORK_SEEN);
  __u32 parent_tgid = BPF_CORE_READ(parent, tgid);
  if (!is_watched(parent_tgid)) return 0;
  int pid = visible_pid(child);
  if (!pid) return 0;
  watch(BPF_CORE_READ(child, tgid));
  struct kv_proc_event* e = new_event(KV_PROC_FORK, pid);
  if (!e) return 0;
  /* The forking thread may not be the leader: the parent process is. */
  e->parent = visible_pid(BPF_CORE_READ(parent, group_leader));
  BPF_CORE_READ_STR_INTO(&e->comm, child, comm);
  send(e, KV_PC_FORK_SENT);
  return 0;
}

SEC("tp_btf/task_rename")
int BPF_PROG(on_rename, struct task_struct* task, const char* comm) {
  if (!is_leader(task)) return 0;
  count(KV_PC_RENAME_SEEN);
  __u32 tgid = BPF_CORE_READ(task, tgid);
  if (name_wanted(comm))
    watch(tgid);
  else if (!is_watched(tgid))
    return 0;
  int pid = visible_pid(task);
  if (!pid) return 0;
  struct kv_proc_event* e = new_event(KV_PROC_RENAME, pid);
  if (!e) return 0;
  bpf_probe_read_kernel_str(e->comm, sizeof(e->comm), comm);
  send(e, KV_PC_RENAME_SENT);
  return 0;
}

/* The running processes, comm only: userspace reads command lines from /proc. */
static __always_inline struct kv_proc_event* scanned(struct task_struct* task) {
  if (!is_leader(task) || BPF_CORE_READ(task, exit_state) != 0) return 0;
  int pid = visible_pid(task);
  if (!pid) return 0;
  struct kv_proc_event* e = new_event(KV_PROC_SCAN, pid);
  if (!e) return 0;
  BPF_CORE_READ_STR_INTO(&e->comm, task, comm);
  __u32 tgid = BPF_CORE_READ(task, tgid);
  if (name_wanted(e->comm)) watch(tgid);
  return e;
}

SEC("iter/task")
int scan_tasks(struct bpf_iter__task* ctx) {
  struct task_struct* task = ctx->task;
  if (!task) return 0;
  struct kv_proc_event* e = scanned(task);
  if (e) bpf_seq_write(ctx->meta->seq, e, sizeof(*e));
  return 0;
}

/* The same with each command line read from the task's memory (Linux 5.18+),
 * so hidepid= cannot hide it either. */
SEC("iter.s/task")
int scan_tasks_with_args(struct bpf_iter__task* ctx) {
  struct task_struct* task = ctx->task;
  if (!task) return 0;
  struct kv_proc_event* e = scanned(task);
  if (!e) return 0;
  struct mm_struct* mm = BPF_CORE_READ(task, mm);
  if (mm) {
    unsigned long start = BPF_CORE_READ(mm, arg_start);
    unsigned long len = BPF_CORE_READ(mm, arg_end) - start;
    if (len > KV_PROC_ARGS_LEN) len = KV_PROC_ARGS_LEN;
    if (len > 0 && bpf_copy_from_user_task(e->args, len, (void*)start, task, 0) == 0)
      e->args_len = len;
  }
  e->args_valid = 1; /* a kernel thread's empty line is valid too */
  __u32 tgid = BPF_CORE_READ(task, tgid);
  if (name_wanted(e->args)) watch(tgid);
  bpf_seq_write(ctx->meta->seq, e, sizeof(*e));
  return 0;
}
