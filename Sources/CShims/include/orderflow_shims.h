#ifndef ORDERFLOW_SHIMS_H
#define ORDERFLOW_SHIMS_H

#if __has_include(<rabbitmq-c/amqp.h>)
#include <rabbitmq-c/amqp.h>
#else
#include <amqp.h>
#endif

// amqp_login is variadic (SASL PLAIN takes user and password as varargs), which Swift cannot call.
amqp_rpc_reply_t orderflow_amqp_login_plain(amqp_connection_state_t state, const char *vhost,
                                            int channel_max, int frame_max, int heartbeat,
                                            const char *user, const char *password);

// The same with client properties (advertises consumer_cancel_notify and friends).
amqp_rpc_reply_t orderflow_amqp_login_plain_with_properties(amqp_connection_state_t state, const char *vhost,
                                                            int channel_max, int frame_max, int heartbeat,
                                                            const amqp_table_t *properties,
                                                            const char *user, const char *password);

#endif
