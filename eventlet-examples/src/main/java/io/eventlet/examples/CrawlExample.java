package io.eventlet.examples;

import io.eventlet.Eventlet;
import io.eventlet.GreenPool;
import io.eventlet.http.HttpClient;
import io.eventlet.sync.Queue;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * eventlet's webcrawler: fetch many URLs at once with {@link GreenPool#imap} and print status,
 * size and time per URL in input order. With {@code --recursive}, eventlet's recursive_crawler and
 * producer_consumer: follow links within each start URL's host through a work {@link Queue}, at
 * most {@code --max-pages} pages.
 */
@Command(name = "crawl", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Fetch URLs concurrently (eventlet's webcrawler); --recursive follows links within the host.")
public final class CrawlExample implements Callable<Integer> {
    private static final Pattern HREF = Pattern.compile("href\\s*=\\s*[\"']([^\"']+)[\"']", Pattern.CASE_INSENSITIVE);

    @Parameters(arity = "1..*", paramLabel = "URL", description = "http:// or https:// URLs")
    List<String> urls;

    @Option(names = "--concurrency", defaultValue = "20", converter = Arguments.AtLeastOne.class,
            description = "fetches at once (default: ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--recursive", description = "follow links within each start URL's host")
    boolean recursive;

    @Option(names = "--max-pages", defaultValue = "100", converter = Arguments.AtLeastOne.class,
            description = "with --recursive: pages at most (default: ${DEFAULT-VALUE})")
    int maxPages;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** One fetch's outcome, printed as a line. */
    record Fetched(URI uri, int status, int size, long millis, String error, List<URI> links) {
        String line() {
            return error != null ? String.format("FAIL %s: %s", uri, error) : String.format("%d %8d B %6d ms %s", status, size, millis, uri);
        }
    }

    @Override
    public Integer call() {
        List<URI> starts = new ArrayList<>();
        for (String u : urls) {
            try {
                URI uri = URI.create(u);
                HttpClient.Request.of("GET", uri);   // validates the scheme and host
                starts.add(uri);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "not an http(s) URL: " + u);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        HttpClient client = HttpClient.builder().connectTimeout(Duration.ofSeconds(10)).readTimeout(Duration.ofSeconds(20)).build();
        int failures = Eventlet.run(() -> recursive ? crawl(client, starts, out) : fetchAll(client, starts, out));
        out.flush();
        return failures == 0 ? 0 : 1;
    }

    private int fetchAll(HttpClient client, List<URI> starts, PrintWriter out) {
        GreenPool pool = new GreenPool(concurrency);
        int failures = 0;
        for (Fetched f : pool.imap(u -> fetch(client, u), starts)) {
            out.println(f.line());
            failures += f.error == null ? 0 : 1;
        }
        return failures;
    }

    /** Producer/consumer: workers take URLs from a queue and put back the links they find. */
    private int crawl(HttpClient client, List<URI> starts, PrintWriter out) throws InterruptedException {
        Queue<URI> work = new Queue<>();
        Set<URI> seen = new LinkedHashSet<>();   // one hub: no lock needed
        int[] failures = {0};
        for (URI u : starts) {
            if (seen.add(u)) {
                work.put(u);
            }
        }
        GreenPool workers = new GreenPool(concurrency);
        for (int i = 0; i < concurrency; i++) {
            workers.spawnN(() -> {
                while (true) {
                    URI u = work.get();
                    try {
                        Fetched f = fetch(client, u);
                        out.println(f.line());
                        failures[0] += f.error == null ? 0 : 1;
                        for (URI link : f.links) {
                            if (seen.size() < maxPages && sameHost(link, u) && seen.add(link)) {
                                work.put(link);
                            }
                        }
                    } finally {
                        work.taskDone();
                    }
                }
            });
        }
        work.join();
        return failures[0];
    }

    private static boolean sameHost(URI a, URI b) {
        return a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost()) && a.getPort() == b.getPort()
                && a.getScheme().equalsIgnoreCase(b.getScheme());
    }

    static Fetched fetch(HttpClient client, URI uri) {
        long start = System.nanoTime();
        try (HttpClient.Response r = client.get(uri)) {
            byte[] body = r.bodyBytes();
            List<URI> links = new ArrayList<>();
            String type = r.header("Content-Type");
            if (type != null && type.startsWith("text/html")) {
                Matcher m = HREF.matcher(new String(body, java.nio.charset.StandardCharsets.UTF_8));
                while (m.find()) {
                    try {
                        URI link = uri.resolve(m.group(1).strip());
                        if ("http".equalsIgnoreCase(link.getScheme()) || "https".equalsIgnoreCase(link.getScheme())) {
                            links.add(new URI(link.getScheme(), link.getAuthority(), link.getPath(), link.getQuery(), null));
                        }
                    } catch (IllegalArgumentException | java.net.URISyntaxException e) {
                        // not a link we can follow
                    }
                }
            }
            return new Fetched(uri, r.status(), body.length, (System.nanoTime() - start) / 1_000_000, null, links);
        } catch (Exception e) {
            return new Fetched(uri, 0, 0, (System.nanoTime() - start) / 1_000_000, e.toString(), List.of());
        }
    }
}
