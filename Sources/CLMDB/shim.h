#ifndef CARELEDGER_CLMDB_SHIM_H
#define CARELEDGER_CLMDB_SHIM_H
#include <lmdb.h>
#endif
