/* Tests of ct_ptr against a real DNS server on loopback (tests/tools/
 * ct-dnsd, path in CT_DNSD): answers, failures, hostile servers, and the
 * bounded cost of a dead resolver. */
#include <glib.h>
#include <glib/gstdio.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ct_ptr.h"

typedef struct {
    GPid pid;
    int port;
    char *dir;
} server;

static const char *zone_text =
    "8.8.8.8 dns.google\n"
    "2001:4860:4860::8888 dns.google\n"
    "1.1.1.1 one.one.one.one\n"
    "10.0.0.1 !nxdomain\n"
    "10.0.0.2 !servfail\n"
    "10.0.0.3 !silent\n"
    "10.0.0.4 !garbage\n"
    "10.0.0.5 !truncated name.example\n"
    "10.0.0.6 !wrongid name.example\n"
    "10.0.0.7 !flood 50 flood.example\n"
    "10.0.0.8 !cname delegated.example\n"
    "10.0.0.9 =cmd|'/C\\032calc'!A0.example\n"
    "10.0.0.10 ctl\\009\\013\\000.example\n"
    "10.0.0.11 a.example b.example c.example d.example e.example f.example\n"
    "10.0.0.12\n"
    "10.0.0.13 !refused\n"
    "10.0.0.14 !delay 300 slow.example\n";

/* The server must not outlive a test that failed half-way.  (The spawn
 * must not go through an intermediate process, or that one's exit would
 * fire the signal: hence G_SPAWN_DO_NOT_REAP_CHILD.) */
static void
die_with_parent(gpointer data)
{
    (void)data;
    prctl(PR_SET_PDEATHSIG, SIGKILL);
}

static void
server_start(server *s, const char *zone, const char *extra)
{
    const char *dnsd = g_getenv("CT_DNSD");
    char *zone_path, *out = NULL, *cmd;
    GError *error = NULL;
    int out_fd;
    char **argv;

    if (dnsd == NULL)
        g_error("CT_DNSD is not set");
    s->dir = g_dir_make_tmp("ct-ptr-XXXXXX", NULL);
    zone_path = g_build_filename(s->dir, "zone", NULL);
    g_assert_true(g_file_set_contents(zone_path, zone, -1, NULL));
    cmd = g_strdup_printf("%s --port 0 --zone %s %s", dnsd, zone_path, extra ? extra : "");
    g_assert_true(g_shell_parse_argv(cmd, NULL, &argv, NULL));
    g_assert_true(g_spawn_async_with_pipes(
        NULL, argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL | G_SPAWN_DO_NOT_REAP_CHILD, die_with_parent,
        NULL, &s->pid, NULL, &out_fd, NULL, &error));
    g_assert_no_error(error);
    /* The server prints its port once bound. */
    char buf[16] = {0};
    size_t got = 0;
    while (got < sizeof buf - 1) {
        ssize_t n = read(out_fd, buf + got, 1);
        if (n <= 0 || buf[got] == '\n')
            break;
        got++;
    }
    s->port = atoi(buf);
    g_assert_cmpint(s->port, >, 0);
    close(out_fd);
    g_strfreev(argv);
    g_free(cmd);
    g_free(out);
    g_free(zone_path);
}

static void
server_stop(server *s)
{
    char *zone = g_build_filename(s->dir, "zone", NULL);

    kill(s->pid, SIGTERM);
    waitpid(s->pid, NULL, 0);
    g_spawn_close_pid(s->pid);
    g_unlink(zone);
    g_rmdir(s->dir);
    g_free(zone);
    g_free(s->dir);
}

static ct_ptr *
resolver_bounded(int port, guint timeout_ms, guint concurrency, guint max_answers)
{
    char servers[64];
    ct_ptr_options opts = {servers, timeout_ms, concurrency, max_answers};
    GError *error = NULL;
    ct_ptr *ptr;

    g_snprintf(servers, sizeof servers, "127.0.0.1:%d", port);
    ptr = ct_ptr_new(&opts, &error);
    g_assert_no_error(error);
    return ptr;
}

static ct_ptr *
resolver_with(int port, guint timeout_ms, guint concurrency)
{
    return resolver_bounded(port, timeout_ms, concurrency, 0);
}

static ct_ptr *
resolver_for(int port, guint timeout_ms)
{
    return resolver_with(port, timeout_ms, 0);
}

static ct_ptr_state
resolve(ct_ptr *ptr, const char *text, char name[CT_DNS_NAME_MAX + 1], unsigned *count)
{
    ct_addr addr;

    g_assert_true(ct_addr_parse(text, &addr));
    ct_ptr_request(ptr, &addr);
    g_assert_true(ct_ptr_wait(ptr, &addr, 1, 10000));
    return ct_ptr_get(ptr, &addr, name, count);
}

static void
test_answers(void)
{
    server s;
    ct_ptr *ptr;
    char name[CT_DNS_NAME_MAX + 1];
    unsigned count = 0;

    server_start(&s, zone_text, NULL);
    ptr = resolver_for(s.port, 1000);
    g_assert_cmpint(resolve(ptr, "8.8.8.8", name, &count), ==, CT_PTR_FOUND);
    g_assert_cmpstr(name, ==, "dns.google");
    g_assert_cmpuint(count, ==, 1);
    g_assert_cmpint(resolve(ptr, "2001:4860:4860::8888", name, NULL), ==, CT_PTR_FOUND);
    g_assert_cmpstr(name, ==, "dns.google");
    g_assert_cmpint(resolve(ptr, "10.0.0.1", name, NULL), ==, CT_PTR_NXDOMAIN);
    g_assert_cmpint(resolve(ptr, "10.0.0.2", name, NULL), ==, CT_PTR_SERVFAIL);
    g_assert_cmpint(resolve(ptr, "10.0.0.13", name, NULL), ==, CT_PTR_SERVFAIL);
    g_assert_cmpint(resolve(ptr, "10.0.0.12", name, NULL), ==, CT_PTR_NODATA);
    g_assert_cmpint(resolve(ptr, "10.0.0.11", name, &count), ==, CT_PTR_FOUND);
    g_assert_cmpstr(name, ==, "a.example");
    g_assert_cmpuint(count, ==, 6);
    g_assert_cmpint(resolve(ptr, "10.0.0.8", name, NULL), ==, CT_PTR_FOUND);
    g_assert_cmpstr(name, ==, "delegated.example");
    g_assert_cmpint(resolve(ptr, "10.0.0.7", name, NULL), ==, CT_PTR_FOUND);
    g_assert_cmpstr(name, ==, "flood.example");
    /* Unknown to the server: NXDOMAIN. */
    g_assert_cmpint(resolve(ptr, "9.9.9.9", name, NULL), ==, CT_PTR_NXDOMAIN);
    ct_ptr_free(ptr);
    server_stop(&s);
}

static void
test_hostile(void)
{
    server s;
    ct_ptr *ptr;
    char name[CT_DNS_NAME_MAX + 1];

    server_start(&s, zone_text, NULL);
    ptr = resolver_for(s.port, 500);
    g_assert_cmpint(resolve(ptr, "10.0.0.9", name, NULL), ==, CT_PTR_FOUND);
    g_assert_cmpstr(name, ==, "=cmd|'/C calc'!A0.example");
    g_assert_cmpint(resolve(ptr, "10.0.0.10", name, NULL), ==, CT_PTR_FOUND);
    g_assert_cmpstr(name, ==, "ctl\\009\\013\\000.example");
    /* Garbage and truncated answers: an outcome, never a name. */
    g_assert_cmpint(resolve(ptr, "10.0.0.4", name, NULL), !=, CT_PTR_FOUND);
    g_assert_cmpint(resolve(ptr, "10.0.0.5", name, NULL), !=, CT_PTR_FOUND);
    /* Answers with the wrong ID are ignored: the question times out. */
    g_assert_cmpint(resolve(ptr, "10.0.0.6", name, NULL), ==, CT_PTR_TIMEOUT);
    ct_ptr_free(ptr);
    server_stop(&s);
}

static void
count_found(const ct_addr *addr, const char *name, gpointer data)
{
    char text[CT_ADDR_STRLEN];

    ct_addr_format(addr, text);
    g_assert_cmpstr(text, ==, "1.1.1.1");
    g_assert_cmpstr(name, ==, "one.one.one.one");
    (*(guint *)data)++;
}

static void
test_cache_and_clear(void)
{
    server s;
    ct_ptr *ptr;
    ct_ptr_stats st;
    char name[CT_DNS_NAME_MAX + 1];
    ct_addr addr;

    server_start(&s, zone_text, NULL);
    ptr = resolver_for(s.port, 1000);
    g_assert_true(ct_addr_parse("1.1.1.1", &addr));
    for (int i = 0; i < 10; i++)
        ct_ptr_request(ptr, &addr);
    g_assert_true(ct_ptr_wait_all(ptr, 10000));
    g_assert_cmpint(resolve(ptr, "10.0.0.1", name, NULL), ==, CT_PTR_NXDOMAIN);
    g_assert_cmpint(resolve(ptr, "10.0.0.1", name, NULL), ==, CT_PTR_NXDOMAIN);
    ct_ptr_get_stats(ptr, &st);
    g_assert_cmpuint(st.sent, ==, 2); /* each address asked once */
    g_assert_cmpuint(st.found, ==, 1);
    g_assert_cmpuint(st.pending, ==, 0);

    guint cursor = 0, seen = 0;
    g_assert_cmpuint(ct_ptr_take_found(ptr, &cursor, count_found, &seen), ==, 1);
    g_assert_cmpuint(seen, ==, 1);
    g_assert_cmpuint(ct_ptr_take_found(ptr, &cursor, count_found, &seen), ==, 0);

    ct_ptr_clear(ptr);
    g_assert_cmpint(ct_ptr_get(ptr, &addr, name, NULL), ==, CT_PTR_UNKNOWN);
    g_assert_cmpint(resolve(ptr, "1.1.1.1", name, NULL), ==, CT_PTR_FOUND);
    ct_ptr_free(ptr);
    server_stop(&s);
}

static void
test_concurrency(void)
{
    server s;
    ct_ptr *ptr;
    ct_ptr_stats st;
    ct_addr addrs[600];
    char name[CT_DNS_NAME_MAX + 1];

    /* Every answer is 50 ms late; 600 questions, 256 at a time. */
    server_start(&s, "", "--synthesize --delay-ms 50");
    ptr = resolver_for(s.port, 3000);
    for (int i = 0; i < 600; i++) {
        guint8 b[4] = {11, 0, (guint8)(i / 256), (guint8)(i % 256)};
        ct_addr_from_ipv4(&addrs[i], b);
        ct_ptr_request(ptr, &addrs[i]);
    }
    g_assert_true(ct_ptr_wait(ptr, addrs, 600, 30000));
    for (int i = 0; i < 600; i++) {
        char want[64];
        g_assert_cmpint(ct_ptr_get(ptr, &addrs[i], name, NULL), ==, CT_PTR_FOUND);
        g_snprintf(want, sizeof want, "host-11-0-%d-%d.bench.test", i / 256, i % 256);
        g_assert_cmpstr(name, ==, want);
    }
    ct_ptr_get_stats(ptr, &st);
    g_assert_cmpuint(st.sent, ==, 600);
    g_assert_cmpuint(st.found, ==, 600);
    ct_ptr_free(ptr);
    server_stop(&s);
}

static int
unused_port(void)
{
    struct sockaddr_in sin = {.sin_family = AF_INET};
    socklen_t len = sizeof sin;
    int fd = socket(AF_INET, SOCK_DGRAM, 0);

    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    g_assert_cmpint(bind(fd, (struct sockaddr *)&sin, sizeof sin), ==, 0);
    g_assert_cmpint(getsockname(fd, (struct sockaddr *)&sin, &len), ==, 0);
    close(fd);
    return ntohs(sin.sin_port);
}

static void
check_dead_resolver(ct_ptr *ptr)
{
    ct_addr addrs[50];
    char name[CT_DNS_NAME_MAX + 1];
    int timeouts = 0, skipped = 0;

    for (int i = 0; i < 50; i++) {
        guint8 b[4] = {12, 0, 0, (guint8)i};
        ct_addr_from_ipv4(&addrs[i], b);
        ct_ptr_request(ptr, &addrs[i]);
    }
    /* Returns once the resolver is declared dead, long before 50 timeouts. */
    ct_ptr_wait_all(ptr, 60000);
    g_assert_true(ct_ptr_resolver_dead(ptr));
    g_assert_true(ct_ptr_wait_all(ptr, 60000) || ct_ptr_resolver_dead(ptr));
    for (int i = 0; i < 50; i++) {
        ct_ptr_state st = ct_ptr_get(ptr, &addrs[i], name, NULL);
        timeouts += st == CT_PTR_TIMEOUT;
        skipped += st == CT_PTR_SKIPPED;
        g_assert_true(st != CT_PTR_FOUND);
    }
    g_assert_cmpint(skipped, >, 0);
    g_assert_cmpint(timeouts, >=, CT_PTR_DEAD_AFTER);
    /* New questions are not sent any more. */
    ct_addr late;
    g_assert_true(ct_addr_parse("8.8.8.8", &late));
    ct_ptr_request(ptr, &late);
    g_assert_cmpint(ct_ptr_get(ptr, &late, name, NULL), ==, CT_PTR_SKIPPED);
    /* A new capture gives the resolver another chance. */
    ct_ptr_clear(ptr);
    g_assert_false(ct_ptr_resolver_dead(ptr));
}

static void
test_silent_server(void)
{
    server s;
    ct_ptr *ptr;
    GString *zone = g_string_new(NULL);

    for (int i = 0; i < 50; i++)
        g_string_append_printf(zone, "12.0.0.%d !silent\n", i);
    server_start(&s, zone->str, NULL);
    ptr = resolver_with(s.port, 200, 4);
    check_dead_resolver(ptr);
    ct_ptr_free(ptr);
    server_stop(&s);
    g_string_free(zone, TRUE);
}

static void
test_no_server(void)
{
    ct_ptr *ptr = resolver_with(unused_port(), 200, 4);

    check_dead_resolver(ptr);
    ct_ptr_free(ptr);
}

/* The servers in use read back as they were given; nothing is sent. */
static void
test_servers(void)
{
    ct_ptr_options opts = {"127.0.0.1:5399,[::1]:5398,192.0.2.53", 100, 4, 0};
    GError *error = NULL;
    ct_ptr *ptr = ct_ptr_new(&opts, &error);

    g_assert_no_error(error);
    g_assert_cmpstr(ct_ptr_servers(ptr), ==, "127.0.0.1:5399,[::1]:5398,192.0.2.53");
    ct_ptr_free(ptr);
}

static void
test_bad_server_list(void)
{
    ct_ptr_options opts = {"not an address", 100, 4, 0};
    GError *error = NULL;

    g_assert_null(ct_ptr_new(&opts, &error));
    g_assert_error(error, CT_ERROR, CT_ERR_INVALID);
    g_assert_nonnull(strstr(error->message, "not an address"));
    g_error_free(error);
}

/* ---- the cache's bound ------------------------------------------------ */

static const char *bound_zone = "10.1.0.1 h1.example\n"
                                "10.1.0.2 h2.example\n"
                                "10.1.0.3 h3.example\n"
                                "10.1.0.4 h4.example\n"
                                "10.1.0.5 h5.example\n"
                                "10.1.0.6 h6.example\n"
                                "10.1.0.9 !delay 1500 slow.example\n";

static void
resolve_found(ct_ptr *ptr, int from, int to)
{
    char text[CT_ADDR_STRLEN], name[CT_DNS_NAME_MAX + 1], expected[32];

    for (int i = from; i <= to; i++) {
        g_snprintf(text, sizeof text, "10.1.0.%d", i);
        g_snprintf(expected, sizeof expected, "h%d.example", i);
        g_assert_cmpint(resolve(ptr, text, name, NULL), ==, CT_PTR_FOUND);
        g_assert_cmpstr(name, ==, expected);
    }
}

static ct_ptr_state
state_of(ct_ptr *ptr, const char *text)
{
    char name[CT_DNS_NAME_MAX + 1];
    ct_addr addr;

    g_assert_true(ct_addr_parse(text, &addr));
    return ct_ptr_get(ptr, &addr, name, NULL);
}

/* max_answers 4: the fifth outcome makes the cache forget the oldest
 * until 2 remain. */
static void
test_bound_forgets_oldest_half(void)
{
    server s;
    ct_ptr *ptr;
    ct_ptr_stats st;

    server_start(&s, bound_zone, NULL);
    ptr = resolver_bounded(s.port, 1000, 0, 4);
    resolve_found(ptr, 1, 4);
    ct_ptr_get_stats(ptr, &st);
    g_assert_cmpuint(st.cached, ==, 4);
    g_assert_cmpuint(st.evicted, ==, 0);
    resolve_found(ptr, 5, 5);
    ct_ptr_get_stats(ptr, &st);
    g_assert_cmpuint(st.cached, ==, 2);
    g_assert_cmpuint(st.evicted, ==, 3);
    g_assert_cmpint(state_of(ptr, "10.1.0.1"), ==, CT_PTR_UNKNOWN);
    g_assert_cmpint(state_of(ptr, "10.1.0.3"), ==, CT_PTR_UNKNOWN);
    g_assert_cmpint(state_of(ptr, "10.1.0.4"), ==, CT_PTR_FOUND);
    g_assert_cmpint(state_of(ptr, "10.1.0.5"), ==, CT_PTR_FOUND);
    ct_ptr_free(ptr);
    server_stop(&s);
}

/* A forgotten address is asked again when asked for. */
static void
test_bound_asked_again(void)
{
    server s;
    ct_ptr *ptr;
    ct_ptr_stats st;

    server_start(&s, bound_zone, NULL);
    ptr = resolver_bounded(s.port, 1000, 0, 4);
    resolve_found(ptr, 1, 5);
    resolve_found(ptr, 1, 1);
    ct_ptr_get_stats(ptr, &st);
    g_assert_cmpuint(st.sent, ==, 6);
    ct_ptr_free(ptr);
    server_stop(&s);
}

/* A question still pending is never forgotten: its answer arrives and is
 * kept. */
static void
test_bound_keeps_pending(void)
{
    server s;
    ct_ptr *ptr;
    ct_ptr_stats st;
    char name[CT_DNS_NAME_MAX + 1];
    ct_addr slow;

    server_start(&s, bound_zone, NULL);
    ptr = resolver_bounded(s.port, 5000, 0, 4);
    g_assert_true(ct_addr_parse("10.1.0.9", &slow));
    ct_ptr_request(ptr, &slow);
    resolve_found(ptr, 1, 6); /* two evictions while it waits */
    ct_ptr_get_stats(ptr, &st);
    g_assert_cmpuint(st.evicted, >, 0);
    g_assert_cmpint(ct_ptr_get(ptr, &slow, name, NULL), ==, CT_PTR_PENDING);
    g_assert_true(ct_ptr_wait(ptr, &slow, 1, 10000));
    g_assert_cmpint(ct_ptr_get(ptr, &slow, name, NULL), ==, CT_PTR_FOUND);
    g_assert_cmpstr(name, ==, "slow.example");
    ct_ptr_free(ptr);
    server_stop(&s);
}

static void
collect_found(const ct_addr *addr, const char *name, gpointer data)
{
    (void)addr;
    g_string_append_printf(data, "%s ", name);
}

/* take_found goes on after an eviction: names taken are not passed again,
 * names forgotten before they were taken are not passed at all. */
static void
test_bound_take_found(void)
{
    server s;
    ct_ptr *ptr;
    guint cursor = 0;
    GString *taken = g_string_new(NULL);

    server_start(&s, bound_zone, NULL);
    ptr = resolver_bounded(s.port, 1000, 0, 4);
    resolve_found(ptr, 1, 2);
    g_assert_cmpuint(ct_ptr_take_found(ptr, &cursor, collect_found, taken), ==, 2);
    g_assert_cmpstr(taken->str, ==, "h1.example h2.example ");
    g_string_truncate(taken, 0);
    resolve_found(ptr, 3, 5); /* forgets h1, h2 and h3 */
    g_assert_cmpuint(ct_ptr_take_found(ptr, &cursor, collect_found, taken), ==, 2);
    g_assert_cmpstr(taken->str, ==, "h4.example h5.example ");
    g_string_truncate(taken, 0);
    resolve_found(ptr, 6, 6);
    g_assert_cmpuint(ct_ptr_take_found(ptr, &cursor, collect_found, taken), ==, 1);
    g_assert_cmpstr(taken->str, ==, "h6.example ");
    g_string_free(taken, TRUE);
    ct_ptr_free(ptr);
    server_stop(&s);
}

/* A resolver that works has no failed system calls to report. */
static void
test_no_errors(void)
{
    ct_ptr *ptr = resolver_with(unused_port(), 100, 4);
    ct_ptr_stats stats;
    char name[CT_DNS_NAME_MAX + 1];

    g_assert_cmpint(resolve(ptr, "8.8.8.8", name, NULL), ==, CT_PTR_TIMEOUT);
    ct_ptr_get_stats(ptr, &stats);
    g_assert_cmpuint(stats.errors, ==, 0);
    g_assert_cmpint(stats.last_errno, ==, 0);
    g_assert_null(stats.error_call);
    ct_ptr_free(ptr);
}

/* Set the soft limit of open files; returns the one before. */
static rlim_t
set_open_files(rlim_t soft)
{
    struct rlimit limit;
    rlim_t before;

    g_assert_cmpint(getrlimit(RLIMIT_NOFILE, &limit), ==, 0);
    before = limit.rlim_cur;
    limit.rlim_cur = soft;
    g_assert_cmpint(setrlimit(RLIMIT_NOFILE, &limit), ==, 0);
    return before;
}

/* poll(2) refuses more descriptors than RLIMIT_NOFILE allows (EINVAL):
 * the failure is counted, not printed. */
static void
test_poll_failure(void)
{
    if (g_test_subprocess()) {
        ct_ptr *ptr = resolver_with(unused_port(), 100, 4);
        ct_ptr_stats stats;
        rlim_t before = set_open_files(0);

        g_usleep(600 * 1000); /* the poll in progress times out, the next fails */
        ct_ptr_get_stats(ptr, &stats);
        set_open_files(before);
        g_assert_cmpuint(stats.errors, >, 0);
        g_assert_cmpint(stats.last_errno, ==, EINVAL);
        g_assert_cmpstr(stats.error_call, ==, "poll");
        ct_ptr_free(ptr);
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed();
    g_test_trap_assert_stderr("");
}

/* With too few descriptors a resolver does not start, and says why as
 * a status: the wake-up pipe (its last descriptors) is CT_ERR_SYSTEM,
 * anything c-ares needs before is CT_ERR_RESOLVER; nothing is printed. */
static void
test_out_of_descriptors(void)
{
    if (g_test_subprocess()) {
        ct_ptr_options opts = {"127.0.0.1:53", 100, 4, 0};
        int lowest = dup(0);
        int last_failure = CT_OK;
        ct_ptr *ptr = NULL;

        g_assert_cmpint(lowest, >=, 0);
        close(lowest);
        for (rlim_t limit = (rlim_t)lowest; ptr == NULL && limit < (rlim_t)lowest + 16; limit++) {
            GError *error = NULL;
            rlim_t before = set_open_files(limit);
            ptr = ct_ptr_new(&opts, &error);
            set_open_files(before);
            if (ptr == NULL) {
                g_assert_true(error->domain == CT_ERROR);
                g_assert_true(error->code == CT_ERR_SYSTEM || error->code == CT_ERR_RESOLVER);
                last_failure = error->code;
                g_error_free(error);
            }
        }
        g_assert_nonnull(ptr);
        g_assert_cmpint(last_failure, ==, CT_ERR_SYSTEM);
        ct_ptr_free(ptr);
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed();
    g_test_trap_assert_stderr("");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_summary("Reverse DNS against a test server on loopback");
    g_test_add_func("/ptr/answers", test_answers);
    g_test_add_func("/ptr/hostile", test_hostile);
    g_test_add_func("/ptr/cache-and-clear", test_cache_and_clear);
    g_test_add_func("/ptr/concurrency", test_concurrency);
    g_test_add_func("/ptr/silent-server", test_silent_server);
    g_test_add_func("/ptr/no-server", test_no_server);
    g_test_add_func("/ptr/servers", test_servers);
    g_test_add_func("/ptr/bad-server-list", test_bad_server_list);
    g_test_add_func("/ptr/bound/forgets-oldest-half", test_bound_forgets_oldest_half);
    g_test_add_func("/ptr/bound/asked-again", test_bound_asked_again);
    g_test_add_func("/ptr/bound/keeps-pending", test_bound_keeps_pending);
    g_test_add_func("/ptr/bound/take-found", test_bound_take_found);
    g_test_add_func("/ptr/no-errors", test_no_errors);
    g_test_add_func("/ptr/poll-failure", test_poll_failure);
    g_test_add_func("/ptr/out-of-descriptors", test_out_of_descriptors);
    return g_test_run();
}
