// SPDX-License-Identifier: GPL-2.0
/*
 * errno_io write PATH VALUE | errno_io finit KO [PARAMS]
 *
 * One write(2) of VALUE to PATH, or one finit_module(2) of KO with PARAMS;
 * prints "OK" or the errno name (EINVAL, EEXIST, ...), exits 0 either way
 * (2 on bad usage or an unopenable file).  The shell tests use it to check
 * exact errnos; it replaces a python3 helper whose start-up cost seconds
 * on the debug kernel under TCG.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static const struct {
	int err;
	const char *name;
} names[] = {
	{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { EIO, "EIO" },
	{ ENXIO, "ENXIO" }, { EBADF, "EBADF" }, { EAGAIN, "EAGAIN" },
	{ ENOMEM, "ENOMEM" }, { EACCES, "EACCES" }, { EFAULT, "EFAULT" },
	{ EBUSY, "EBUSY" }, { EEXIST, "EEXIST" }, { ENODEV, "ENODEV" },
	{ EINVAL, "EINVAL" }, { ENOSPC, "ENOSPC" }, { ERANGE, "ERANGE" },
	{ ENOEXEC, "ENOEXEC" }, { ENOTTY, "ENOTTY" }, { E2BIG, "E2BIG" },
	{ EOPNOTSUPP, "EOPNOTSUPP" }, { ENODATA, "ENODATA" },
	{ ENOSYS, "ENOSYS" }, { EROFS, "EROFS" },
};

static void print_errno(int err)
{
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (names[i].err == err) {
			puts(names[i].name);
			return;
		}
	}
	printf("%d\n", err);
}

int main(int argc, char **argv)
{
	int fd, ret;

	if (argc == 4 && !strcmp(argv[1], "write")) {
		fd = open(argv[2], O_WRONLY | O_CLOEXEC);
		if (fd < 0) {
			perror(argv[2]);
			return 2;
		}
		ret = write(fd, argv[3], strlen(argv[3]));
	} else if (argc >= 3 && argc <= 4 && !strcmp(argv[1], "finit")) {
		fd = open(argv[2], O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			perror(argv[2]);
			return 2;
		}
		ret = syscall(SYS_finit_module, fd, argc == 4 ? argv[3] : "", 0);
	} else {
		fprintf(stderr, "usage: %s write PATH VALUE | finit KO [PARAMS]\n",
			argv[0]);
		return 2;
	}
	if (ret < 0)
		print_errno(errno);
	else
		puts("OK");
	close(fd);
	return 0;
}
