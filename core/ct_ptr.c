/* ct_ptr.c - see ct_ptr.h.
 *
 * Threads: callers touch only the entry table and the send queue, under
 * `lock`.  The resolver thread alone touches the c-ares channel: it moves
 * queued entries into c-ares (never more than `concurrency` in flight),
 * polls c-ares' sockets plus a wake-up pipe, and records outcomes.  It
 * never calls into c-ares while holding `lock`, because c-ares may run a
 * callback (which takes the lock) from inside ares_query().
 *
 * Queries are plain DNS PTR questions (class IN, type PTR) for
 * in-addr.arpa / ip6.arpa names: no hosts file, no search list.  Answers
 * are read by ct_dns_parse_ptr(), not by c-ares, so that what we accept
 * and how we escape it is ours to define and test.
 *
 * c-ares: Debian 12 has 1.18, Debian 13 and later 1.34, which deprecates
 * the calls 1.18 has.  Where the installed c-ares has them, the current
 * ones are used: ares_query_dnsrec() (1.28; its parsed answer is written
 * back to wire form for our parser) and ares_process_fds() (1.34).  The
 * sockets to poll come from the socket-state callback on every version.
 *
 * ct_ptr_clear() starts a new epoch: answers to questions of an older
 * epoch still arrive (they hold a slot until then) but are dropped.
 *
 * The bound: every entry that is no longer pending joins the `settled`
 * queue, in the order of its outcomes; when more than max_answers are
 * settled, the oldest are dropped until half remain.  Pending entries are
 * never dropped (the send queue and the answers refer to them).  Names go
 * into found_order in that same order, so the names dropped are always
 * its first ones: found_base counts them, and a take_found cursor is an
 * index into every name found since the last clear.
 */
#include "ct_ptr.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include <ares.h>
#include <glib-unix.h>
#include <arpa/nameser.h>

/* ares_get_servers_csv() arrived in c-ares 1.24, ares_query_dnsrec() in
 * 1.28, ares_process_fds() in 1.34. */
#define CT_ARES_HAS_SERVERS_CSV (ARES_VERSION >= 0x011800)
#define CT_ARES_HAS_DNSREC (ARES_VERSION >= 0x011c00)
#define CT_ARES_HAS_PROCESS_FDS (ARES_VERSION >= 0x012200)

#define DEFAULT_TIMEOUT_MS 2000
#define DEFAULT_CONCURRENCY 256
#define MAX_POLL_MS 200

typedef struct {
    ct_addr addr;
    ct_ptr_state state;
    unsigned count;
    char *name;
    GList settled; /* link in ct_ptr.settled once not pending; data is the entry */
} entry;

typedef struct {
    ct_ptr *ptr;
    guint epoch;
    ct_addr addr;
} query_token;

struct ct_ptr {
    GMutex lock;
    GCond changed;
    GHashTable *entries; /* ct_addr* -> entry* */
    GQueue queue;        /* entries waiting to be sent */
    GArray *found_order; /* ct_addr of each name found and kept, in arrival order */
    guint found_base;    /* names found before found_order[0] since the clear */
    GQueue settled;      /* entries not pending, oldest outcome first; links inside */
    guint max_answers;
    guint64 evicted;
    guint in_flight; /* inside c-ares, any epoch */
    guint pending;   /* entries of this epoch in PENDING state */
    guint concurrency;
    guint epoch;
    guint failures_in_row;
    bool dead;
    bool stop;
    guint64 sent, answered, found;
    guint64 errors; /* failed system calls: see ct_ptr_stats */
    int last_errno;
    const char *error_call;

    int wake[2];
    ares_channel channel;
    GArray *sockets; /* socket_interest: what c-ares wants polled */
    char *servers;   /* the servers asked, for messages */
    GThread *thread;
};

/* A socket c-ares has open, and whether it waits to read or write. */
typedef struct {
    ares_socket_t fd;
    bool read, write;
} socket_interest;

static void
entry_free(gpointer data)
{
    entry *e = data;

    g_free(e->name);
    g_free(e);
}

/* Count a failed system call for ct_ptr_get_stats(); called without the
 * lock.  The core prints nothing: the caller decides what to tell. */
static void
count_error(ct_ptr *ptr, const char *call, int err)
{
    g_mutex_lock(&ptr->lock);
    ptr->errors++;
    ptr->last_errno = err;
    ptr->error_call = call;
    g_mutex_unlock(&ptr->lock);
}

static void
wake_thread(ct_ptr *ptr)
{
    static const char byte = 1;

    /* A full pipe already means "wake up": EAGAIN is fine. */
    if (write(ptr->wake[1], &byte, 1) < 0 && errno != EAGAIN)
        count_error(ptr, "write to the wake-up pipe", errno);
}

/* Called with lock held: forget the oldest outcomes until half of
 * max_answers remain. */
static void
evict(ct_ptr *ptr)
{
    guint names = 0;
    GList *link;

    while (ptr->settled.length > ptr->max_answers / 2 &&
           (link = g_queue_pop_head_link(&ptr->settled)) != NULL) {
        entry *e = link->data;
        if (e->state == CT_PTR_FOUND)
            names++;
        g_hash_table_remove(ptr->entries, &e->addr); /* frees e */
        ptr->evicted++;
    }
    g_array_remove_range(ptr->found_order, 0, names);
    ptr->found_base += names;
}

/* Called with lock held: e has its outcome, and joins the cache's bound. */
static void
keep_outcome(ct_ptr *ptr, entry *e)
{
    e->settled.data = e;
    g_queue_push_tail_link(&ptr->settled, &e->settled);
    if (ptr->settled.length > ptr->max_answers)
        evict(ptr);
}

/* Called with lock held: settle e (of the current epoch, pending) with an
 * outcome. */
static void
settle(ct_ptr *ptr, entry *e, ct_ptr_state state)
{
    if (e->state == CT_PTR_PENDING)
        ptr->pending--;
    e->state = state;
    keep_outcome(ptr, e);
}

/* Called with lock held. */
static void
declare_dead(ct_ptr *ptr)
{
    entry *e;

    ptr->dead = true;
    while ((e = g_queue_pop_head(&ptr->queue)) != NULL)
        settle(ptr, e, CT_PTR_SKIPPED);
}

static ct_ptr_state
state_from_status(int status)
{
    switch (status) {
    case ARES_ENOTFOUND:
        return CT_PTR_NXDOMAIN;
    case ARES_ENODATA:
        return CT_PTR_NODATA;
    case ARES_ESERVFAIL:
    case ARES_EREFUSED:
    case ARES_ENOTIMP:
    case ARES_EFORMERR:
        return CT_PTR_SERVFAIL;
    case ARES_ETIMEOUT:
    case ARES_ECONNREFUSED:
        return CT_PTR_TIMEOUT;
    default:
        return CT_PTR_BAD_ANSWER;
    }
}

/* The outcome of one question: status from c-ares, and the answer in wire
 * form when status is ARES_SUCCESS. */
static void
answer(query_token *t, int status, const unsigned char *abuf, size_t alen)
{
    ct_ptr *ptr = t->ptr;
    char qname[CT_DNS_QNAME_MAX];
    char name[CT_DNS_NAME_MAX + 1] = "";
    unsigned count = 0;
    ct_ptr_state state;
    entry *e;

    if (status == ARES_EDESTRUCTION) {
        g_free(t);
        return;
    }
    if (status == ARES_SUCCESS) {
        ct_dns_reverse_name(&t->addr, qname);
        switch (ct_dns_parse_ptr(abuf, alen, qname, name, &count)) {
        case CT_DNS_ANSWER_NAME:
            state = CT_PTR_FOUND;
            break;
        case CT_DNS_ANSWER_NODATA:
            state = CT_PTR_NODATA;
            break;
        default:
            state = CT_PTR_BAD_ANSWER;
            break;
        }
    } else {
        state = state_from_status(status);
    }

    g_mutex_lock(&ptr->lock);
    ptr->in_flight--;
    e = t->epoch == ptr->epoch ? g_hash_table_lookup(ptr->entries, &t->addr) : NULL;
    if (e != NULL && e->state == CT_PTR_PENDING) {
        ptr->answered++;
        if (state == CT_PTR_FOUND) {
            e->name = g_strdup(name);
            e->count = count;
            ptr->found++;
            g_array_append_val(ptr->found_order, e->addr);
        }
        settle(ptr, e, state);
        if (state == CT_PTR_TIMEOUT) {
            if (++ptr->failures_in_row >= CT_PTR_DEAD_AFTER && !ptr->dead)
                declare_dead(ptr);
        } else {
            ptr->failures_in_row = 0;
        }
    }
    g_cond_broadcast(&ptr->changed);
    g_mutex_unlock(&ptr->lock);
    g_free(t);
}

#if CT_ARES_HAS_DNSREC
static void
on_answer(void *arg, ares_status_t status, size_t timeouts, const ares_dns_record_t *dnsrec)
{
    unsigned char *abuf = NULL;
    size_t alen = 0;

    (void)timeouts;
    if (status == ARES_SUCCESS && ares_dns_write(dnsrec, &abuf, &alen) != ARES_SUCCESS)
        status = ARES_EBADRESP;
    answer(arg, (int)status, abuf, alen);
    ares_free_string(abuf);
}

static void
ask(ct_ptr *ptr, const char *qname, query_token *t)
{
    /* Failures to send reach on_answer() too. */
    ares_query_dnsrec(ptr->channel, qname, ARES_CLASS_IN, ARES_REC_TYPE_PTR, on_answer, t, NULL);
}
#else
static void
on_answer(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
{
    (void)timeouts;
    answer(arg, status, abuf, alen > 0 ? (size_t)alen : 0);
}

static void
ask(ct_ptr *ptr, const char *qname, query_token *t)
{
    ares_query(ptr->channel, qname, ns_c_in, ns_t_ptr, on_answer, t);
}
#endif

/* c-ares opens, closes and changes its interest in sockets only inside
 * calls the resolver thread makes (and ares_destroy()). */
static void
on_socket_state(void *data, ares_socket_t fd, int readable, int writable)
{
    GArray *sockets = data;
    guint i;

    for (i = 0; i < sockets->len; i++) {
        if (g_array_index(sockets, socket_interest, i).fd == fd)
            break;
    }
    if (!readable && !writable) {
        if (i < sockets->len)
            g_array_remove_index_fast(sockets, i);
        return;
    }
    if (i == sockets->len)
        g_array_set_size(sockets, i + 1);
    g_array_index(sockets, socket_interest, i) =
        (socket_interest){fd, readable != 0, writable != 0};
}

/* Hand c-ares what poll() found on its sockets (pfd[1..n-1]), or only
 * the passing of time. */
static void
process(ct_ptr *ptr, const struct pollfd *pfd, nfds_t n)
{
#if CT_ARES_HAS_PROCESS_FDS
    ares_fd_events_t *events = g_newa(ares_fd_events_t, n);
    size_t ready = 0;

    for (nfds_t i = 1; i < n; i++) {
        unsigned flags = 0;
        if (pfd[i].revents & (POLLIN | POLLERR | POLLHUP))
            flags |= ARES_FD_EVENT_READ;
        if (pfd[i].revents & POLLOUT)
            flags |= ARES_FD_EVENT_WRITE;
        if (flags != 0)
            events[ready++] = (ares_fd_events_t){pfd[i].fd, flags};
    }
    ares_process_fds(ptr->channel, events, ready, ARES_PROCESS_FLAG_NONE);
#else
    bool processed = false;

    for (nfds_t i = 1; i < n; i++) {
        if (pfd[i].revents == 0)
            continue;
        ares_socket_t r =
            (pfd[i].revents & (POLLIN | POLLERR | POLLHUP)) ? pfd[i].fd : ARES_SOCKET_BAD;
        ares_socket_t w = (pfd[i].revents & POLLOUT) ? pfd[i].fd : ARES_SOCKET_BAD;
        ares_process_fd(ptr->channel, r, w);
        processed = true;
    }
    if (!processed) /* timeouts only */
        ares_process_fd(ptr->channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
#endif
}

/* Take what may be sent now; called without the lock. */
static void
send_queued(ct_ptr *ptr)
{
    GPtrArray *batch = g_ptr_array_new();
    entry *e;

    g_mutex_lock(&ptr->lock);
    while (ptr->in_flight < ptr->concurrency && (e = g_queue_pop_head(&ptr->queue)) != NULL) {
        query_token *t = g_new(query_token, 1);
        t->ptr = ptr;
        t->epoch = ptr->epoch;
        t->addr = e->addr;
        g_ptr_array_add(batch, t);
        ptr->in_flight++;
        ptr->sent++;
    }
    g_mutex_unlock(&ptr->lock);

    for (guint i = 0; i < batch->len; i++) {
        query_token *t = g_ptr_array_index(batch, i);
        char qname[CT_DNS_QNAME_MAX];
        ct_dns_reverse_name(&t->addr, qname);
        ask(ptr, qname, t);
    }
    g_ptr_array_free(batch, TRUE);
}

static void
drain_wake(ct_ptr *ptr)
{
    char buf[64];

    while (read(ptr->wake[0], buf, sizeof buf) > 0)
        ;
}

static gpointer
resolver_thread(gpointer data)
{
    ct_ptr *ptr = data;
    GArray *pfds = g_array_new(FALSE, FALSE, sizeof(struct pollfd));

    for (;;) {
        struct timeval max_tv = {0, MAX_POLL_MS * 1000}, tv, *tvp;
        struct pollfd wake = {ptr->wake[0], POLLIN, 0};
        struct pollfd *pfd;
        int timeout_ms, ready;
        bool stop;

        g_mutex_lock(&ptr->lock);
        stop = ptr->stop;
        g_mutex_unlock(&ptr->lock);
        if (stop)
            break;
        send_queued(ptr);

        g_array_set_size(pfds, 0);
        g_array_append_val(pfds, wake);
        for (guint i = 0; i < ptr->sockets->len; i++) {
            const socket_interest *s = &g_array_index(ptr->sockets, socket_interest, i);
            struct pollfd p = {s->fd, (short)((s->read ? POLLIN : 0) | (s->write ? POLLOUT : 0)),
                               0};
            g_array_append_val(pfds, p);
        }
        tvp = ares_timeout(ptr->channel, &max_tv, &tv);
        timeout_ms = (int)(tvp->tv_sec * 1000 + (tvp->tv_usec + 999) / 1000);

        pfd = (struct pollfd *)(void *)pfds->data;
        ready = poll(pfd, pfds->len, timeout_ms);
        if (ready < 0 && errno != EINTR) {
            count_error(ptr, "poll", errno);
            /* Whatever made poll fail is not gone at once: wait about as
             * poll would have, rather than spin. */
            g_usleep((gulong)CLAMP(timeout_ms, 10, MAX_POLL_MS) * 1000);
        }
        if (ready > 0 && (pfd[0].revents & POLLIN))
            drain_wake(ptr);
        process(ptr, pfd, ready > 0 ? pfds->len : 1);
    }
    g_array_free(pfds, TRUE);
    return NULL;
}

/* The servers the channel asks, as "IP[:port]" or "[IPv6]:port",
 * comma-separated; read before the resolver thread owns the channel. */
static char *
servers_text(ares_channel channel)
{
#if CT_ARES_HAS_SERVERS_CSV
    /* Written as 1.18's list is: an IPv4 server's port only when it is
     * not 53. */
    char *csv = ares_get_servers_csv(channel);
    char **entries = g_strsplit(csv ? csv : "", ",", -1);
    GString *text = g_string_new(NULL);

    for (char **e = entries; *e != NULL; e++) {
        size_t len = strlen(*e);
        if (len == 0)
            continue;
        if (**e != '[' && g_str_has_suffix(*e, ":53"))
            len -= 3;
        if (text->len > 0)
            g_string_append_c(text, ',');
        g_string_append_len(text, *e, (gssize)len);
    }
    g_strfreev(entries);
    ares_free_string(csv);
#else
    struct ares_addr_port_node *servers = NULL;
    GString *text = g_string_new(NULL);

    if (ares_get_servers_ports(channel, &servers) == ARES_SUCCESS) {
        for (const struct ares_addr_port_node *s = servers; s != NULL; s = s->next) {
            char ip[INET6_ADDRSTRLEN];
            int port = s->udp_port ? s->udp_port : 53;
            ares_inet_ntop(s->family, &s->addr, ip, sizeof ip);
            if (text->len > 0)
                g_string_append_c(text, ',');
            if (s->family == AF_INET6)
                g_string_append_printf(text, "[%s]:%d", ip, port);
            else if (port != 53)
                g_string_append_printf(text, "%s:%d", ip, port);
            else
                g_string_append(text, ip);
        }
        ares_free_data(servers);
    }
#endif
    if (text->len == 0)
        g_string_append(text, "none");
    return g_string_free(text, FALSE);
}

static gsize library_ready;

ct_ptr *
ct_ptr_new(const ct_ptr_options *options, GError **error)
{
    struct ares_options opts;
    ct_ptr *ptr;
    int rc;

    if (g_once_init_enter(&library_ready)) {
        rc = ares_library_init(ARES_LIB_INIT_ALL);
        g_once_init_leave(&library_ready, rc == ARES_SUCCESS ? 1 : 2);
    }
    if (library_ready != 1) {
        g_set_error(error, CT_ERROR, CT_ERR_RESOLVER, "c-ares library initialisation failed");
        return NULL;
    }

    ptr = g_new0(ct_ptr, 1);
    g_mutex_init(&ptr->lock);
    g_cond_init(&ptr->changed);
    ptr->entries = g_hash_table_new_full(ct_addr_table_hash, ct_addr_table_equal, NULL, entry_free);
    g_queue_init(&ptr->queue);
    ptr->found_order = g_array_new(FALSE, FALSE, sizeof(ct_addr));
    ptr->concurrency = options && options->concurrency ? options->concurrency : DEFAULT_CONCURRENCY;
    ptr->max_answers =
        options && options->max_answers ? MAX(options->max_answers, 2) : CT_PTR_MAX_ANSWERS;
    g_queue_init(&ptr->settled);
    ptr->wake[0] = ptr->wake[1] = -1;
    ptr->sockets = g_array_new(FALSE, FALSE, sizeof(socket_interest));

    memset(&opts, 0, sizeof opts);
    opts.timeout = (int)(options && options->timeout_ms ? options->timeout_ms : DEFAULT_TIMEOUT_MS);
    /* One try per server keeps a query's cost at timeout_ms per server.
     * NOCHECKRESP hands SERVFAIL and REFUSED answers to us as such, where
     * c-ares would otherwise retry and end in a timeout. */
    opts.tries = 1;
    opts.flags = ARES_FLAG_NOCHECKRESP;
    opts.sock_state_cb = on_socket_state;
    opts.sock_state_cb_data = ptr->sockets;
    rc = ares_init_options(&ptr->channel, &opts,
                           ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_FLAGS |
                               ARES_OPT_SOCK_STATE_CB);
    if (rc != ARES_SUCCESS) {
        g_set_error(error, CT_ERROR, CT_ERR_RESOLVER, "c-ares: %s", ares_strerror(rc));
        ptr->channel = NULL;
        goto fail;
    }
    if (options && options->servers && *options->servers) {
        rc = ares_set_servers_ports_csv(ptr->channel, options->servers);
        if (rc != ARES_SUCCESS) {
            g_set_error(error, CT_ERROR, CT_ERR_INVALID,
                        "invalid DNS server list \"%s\" (expected IP, IP:port or [IPv6]:port, "
                        "comma-separated): %s",
                        options->servers, ares_strerror(rc));
            goto fail;
        }
    }
    ptr->servers = servers_text(ptr->channel);
    if (!g_unix_open_pipe(ptr->wake, FD_CLOEXEC, NULL) ||
        fcntl(ptr->wake[0], F_SETFL, O_NONBLOCK) < 0 ||
        fcntl(ptr->wake[1], F_SETFL, O_NONBLOCK) < 0) {
        g_set_error(error, CT_ERROR, CT_ERR_SYSTEM, "cannot create a pipe: %s", g_strerror(errno));
        goto fail;
    }
    ptr->thread = g_thread_new("camtrace-dns", resolver_thread, ptr);
    return ptr;

fail:
    ct_ptr_free(ptr);
    return NULL;
}

void
ct_ptr_free(ct_ptr *ptr)
{
    if (ptr == NULL)
        return;
    if (ptr->thread != NULL) {
        g_mutex_lock(&ptr->lock);
        ptr->stop = true;
        g_mutex_unlock(&ptr->lock);
        wake_thread(ptr);
        g_thread_join(ptr->thread);
    }
    if (ptr->channel != NULL)
        ares_destroy(ptr->channel); /* runs callbacks with ARES_EDESTRUCTION */
    for (int i = 0; i < 2; i++) {
        if (ptr->wake[i] >= 0)
            close(ptr->wake[i]);
    }
    g_queue_clear(&ptr->queue);
    g_array_free(ptr->sockets, TRUE);
    g_free(ptr->servers);
    g_array_free(ptr->found_order, TRUE);
    g_hash_table_destroy(ptr->entries);
    g_cond_clear(&ptr->changed);
    g_mutex_clear(&ptr->lock);
    g_free(ptr);
}

void
ct_ptr_request(ct_ptr *ptr, const ct_addr *seen)
{
    /* NAT64 and IPv4-mapped addresses share their IPv4 address's name. */
    ct_addr eff = ct_addr_effective(seen);
    const ct_addr *addr = &eff;
    entry *e;
    bool queued = false;

    g_mutex_lock(&ptr->lock);
    if (!g_hash_table_contains(ptr->entries, addr)) {
        e = g_new0(entry, 1);
        e->addr = *addr;
        g_hash_table_insert(ptr->entries, &e->addr, e);
        if (ptr->dead) {
            e->state = CT_PTR_SKIPPED;
            keep_outcome(ptr, e);
        } else {
            e->state = CT_PTR_PENDING;
            ptr->pending++;
            g_queue_push_tail(&ptr->queue, e);
            queued = true;
        }
    }
    g_mutex_unlock(&ptr->lock);
    if (queued)
        wake_thread(ptr);
}

ct_ptr_state
ct_ptr_get(ct_ptr *ptr, const ct_addr *seen, char name[CT_DNS_NAME_MAX + 1], unsigned *count)
{
    ct_addr eff = ct_addr_effective(seen);
    ct_ptr_state state;
    entry *e;

    g_mutex_lock(&ptr->lock);
    e = g_hash_table_lookup(ptr->entries, &eff);
    state = e ? e->state : CT_PTR_UNKNOWN;
    if (state == CT_PTR_FOUND) {
        g_strlcpy(name, e->name, CT_DNS_NAME_MAX + 1);
        if (count != NULL)
            *count = e->count;
    }
    g_mutex_unlock(&ptr->lock);
    return state;
}

/* Called with lock held. */
static bool
any_pending(ct_ptr *ptr, const ct_addr *addrs, size_t n)
{
    if (addrs == NULL)
        return ptr->pending > 0;
    for (size_t i = 0; i < n; i++) {
        ct_addr eff = ct_addr_effective(&addrs[i]);
        entry *e = g_hash_table_lookup(ptr->entries, &eff);
        if (e != NULL && e->state == CT_PTR_PENDING)
            return true;
    }
    return false;
}

bool
ct_ptr_wait(ct_ptr *ptr, const ct_addr *addrs, size_t n, guint timeout_ms)
{
    gint64 end = g_get_monotonic_time() + (gint64)timeout_ms * G_TIME_SPAN_MILLISECOND;
    bool pending;

    g_mutex_lock(&ptr->lock);
    while ((pending = any_pending(ptr, addrs, n)) && !ptr->dead) {
        if (!g_cond_wait_until(&ptr->changed, &ptr->lock, end)) {
            pending = any_pending(ptr, addrs, n);
            break;
        }
    }
    g_mutex_unlock(&ptr->lock);
    return !pending;
}

bool
ct_ptr_wait_all(ct_ptr *ptr, guint timeout_ms)
{
    return ct_ptr_wait(ptr, NULL, 0, timeout_ms);
}

bool
ct_ptr_resolver_dead(ct_ptr *ptr)
{
    bool dead;

    g_mutex_lock(&ptr->lock);
    dead = ptr->dead;
    g_mutex_unlock(&ptr->lock);
    return dead;
}

const char *
ct_ptr_servers(const ct_ptr *ptr)
{
    return ptr->servers;
}

void
ct_ptr_get_stats(ct_ptr *ptr, ct_ptr_stats *stats)
{
    g_mutex_lock(&ptr->lock);
    stats->sent = ptr->sent;
    stats->answered = ptr->answered;
    stats->found = ptr->found;
    stats->pending = ptr->pending;
    stats->cached = ptr->settled.length;
    stats->evicted = ptr->evicted;
    stats->errors = ptr->errors;
    stats->last_errno = ptr->last_errno;
    stats->error_call = ptr->error_call;
    g_mutex_unlock(&ptr->lock);
}

guint
ct_ptr_take_found(ct_ptr *ptr, guint *cursor, ct_ptr_found_fn fn, gpointer data)
{
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    GArray *addrs = g_array_new(FALSE, FALSE, sizeof(ct_addr));
    guint n;

    g_mutex_lock(&ptr->lock);
    if (*cursor > ptr->found_base + ptr->found_order->len) /* cleared since */
        *cursor = 0;
    for (guint i = MAX(*cursor, ptr->found_base) - ptr->found_base; i < ptr->found_order->len;
         i++) {
        ct_addr *addr = &g_array_index(ptr->found_order, ct_addr, i);
        entry *e = g_hash_table_lookup(ptr->entries, addr);
        g_array_append_val(addrs, *addr);
        g_ptr_array_add(names, g_strdup(e->name));
    }
    *cursor = ptr->found_base + ptr->found_order->len;
    g_mutex_unlock(&ptr->lock);

    for (n = 0; n < addrs->len; n++)
        fn(&g_array_index(addrs, ct_addr, n), g_ptr_array_index(names, n), data);
    g_ptr_array_free(names, TRUE);
    g_array_free(addrs, TRUE);
    return n;
}

void
ct_ptr_clear(ct_ptr *ptr)
{
    g_mutex_lock(&ptr->lock);
    ptr->epoch++;
    g_queue_clear(&ptr->queue);
    g_array_set_size(ptr->found_order, 0);
    ptr->found_base = 0;
    g_queue_init(&ptr->settled); /* its links are inside the entries */
    g_hash_table_remove_all(ptr->entries);
    ptr->pending = 0;
    ptr->failures_in_row = 0;
    ptr->dead = false;
    g_cond_broadcast(&ptr->changed);
    g_mutex_unlock(&ptr->lock);
}
