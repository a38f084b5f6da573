/* The CPU conformance workload: runs instruction families over edge-case inputs and emits one
 * checksum per family. It is compiled twice, into the selfcheck guest kernel and into a native
 * i386 Linux program (hostcheck), so the host processor gives the reference values. Flags the
 * SDM leaves undefined for an input are masked out before they enter a checksum. */
#ifndef CPUCHECK_H
#define CPUCHECK_H

typedef void (*cpucheck_emit)(const char *name, unsigned int value);

void cpucheck_run(cpucheck_emit emit);

#endif
