package io.eventlet.kit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away certificate authority and a server certificate for {@code localhost} and
 * {@code 127.0.0.1}, made once per JVM with the JDK's {@code keytool} in a temporary directory:
 * Java contexts for both sides, and PEM files for {@code curl} and {@code openssl}.
 */
public final class TestCa {
    private static final String PASSWORD = "changeit";
    private static TestCa instance;

    /** The CA certificate (PEM), for {@code curl --cacert} and {@code openssl -CAfile}. */
    public final Path caPem;
    /** The server's key and certificate chain (PEM), for {@code openssl s_server}. */
    public final Path serverKeyAndCertPem;
    private final Path serverP12;

    private TestCa(Path dir) {
        this.caPem = dir.resolve("ca.pem");
        this.serverKeyAndCertPem = dir.resolve("server-all.pem");
        this.serverP12 = dir.resolve("server.p12");
    }

    /** The JVM's test CA, made on first use. */
    public static synchronized TestCa get() throws IOException, InterruptedException {
        if (instance == null) {
            Path dir = Files.createTempDirectory("eventlet-test-ca");
            dir.toFile().deleteOnExit();
            TestCa ca = new TestCa(dir);
            ca.make(dir);
            instance = ca;
        }
        return instance;
    }

    private void make(Path dir) throws IOException, InterruptedException {
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        String ca = dir.resolve("ca.p12").toString();
        String server = serverP12.toString();
        String csr = dir.resolve("server.csr").toString();
        String cert = dir.resolve("server.pem").toString();
        run(dir, keytool, "-genkeypair", "-keystore", ca, "-storetype", "PKCS12", "-storepass", PASSWORD, "-alias", "ca",
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=eventlet-java test CA", "-ext", "bc:c", "-validity", "2");
        run(dir, keytool, "-exportcert", "-keystore", ca, "-storepass", PASSWORD, "-alias", "ca", "-rfc", "-file", caPem.toString());
        run(dir, keytool, "-genkeypair", "-keystore", server, "-storetype", "PKCS12", "-storepass", PASSWORD, "-alias", "server",
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost", "-validity", "2");
        run(dir, keytool, "-certreq", "-keystore", server, "-storepass", PASSWORD, "-alias", "server", "-file", csr);
        run(dir, keytool, "-gencert", "-keystore", ca, "-storepass", PASSWORD, "-alias", "ca", "-infile", csr, "-outfile", cert,
                "-rfc", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-ext", "ku:c=digitalSignature", "-ext", "eku=serverAuth", "-validity", "2");
        run(dir, keytool, "-importcert", "-keystore", server, "-storepass", PASSWORD, "-alias", "ca", "-file", caPem.toString(), "-noprompt");
        run(dir, keytool, "-importcert", "-keystore", server, "-storepass", PASSWORD, "-alias", "server", "-file", cert);
        if (Files.isExecutable(Path.of("/usr/bin/openssl"))) {
            run(dir, "openssl", "pkcs12", "-in", server, "-passin", "pass:" + PASSWORD, "-nodes", "-out", serverKeyAndCertPem.toString());
        }
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + new String(output, StandardCharsets.UTF_8));
        }
    }

    /** A context that presents the server certificate. */
    public SSLContext serverContext() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(serverP12)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD.toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    /** A context that trusts this CA only. */
    public SSLContext clientContext() throws Exception {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            ts.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
