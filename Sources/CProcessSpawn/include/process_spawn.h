// Spawns a child process for a stdio backend: own process group, default signal
// dispositions, optional working directory, and the given fds as stdin/stdout/stderr.
#ifndef PROCESS_SPAWN_H
#define PROCESS_SPAWN_H
#include <sys/types.h>

/// Returns 0 and sets *pid on success, or an errno value.
int gw_spawn(const char *path, char *const argv[], char *const envp[], const char *cwd,
             int stdin_fd, int stdout_fd, int stderr_fd, pid_t *pid);

/// Creates a pipe whose both ends are close-on-exec.
int gw_pipe_cloexec(int fds[2]);

#endif
