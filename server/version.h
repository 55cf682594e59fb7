/* The server's version, reported by --version and GET /health. */
#ifndef DJTV_SERVER_VERSION_H
#define DJTV_SERVER_VERSION_H

#define DJTV_SERVER_VERSION "0.1.0"

#endif
