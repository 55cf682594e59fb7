/* The client's version: shown by --version, and sent to the server in every request's
 * User-Agent ("djtv-client/0.1.0") so that staff see which software each box runs. */
#ifndef DJTV_CLIENT_VERSION_H
#define DJTV_CLIENT_VERSION_H

#define DJTV_VERSION "0.1.0"

#endif
