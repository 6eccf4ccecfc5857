package collector.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.index.reindex.ReindexPlugin;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.painless.PainlessPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * One OpenSearch 2.19 node in this JVM, from the jars on the classpath (no distribution).
 *
 * Arguments are node settings, each `key=value` (path.home, http.port, ...). The node runs
 * until the JVM is stopped (SIGTERM closes it cleanly; SIGKILL is what cluster tests use), or until
 * the process that started it ends.
 */
public final class EmbeddedNode extends Node {
    // The modules a distribution loads from modules/, given here as classpath plugins (2.19 names).
    private static final List<Class<? extends Plugin>> MODULES = List.of(
        Netty4Plugin.class, CommonAnalysisPlugin.class, PainlessPlugin.class, ReindexPlugin.class);
    // The k-NN plugin (an AWS domain's knn_vector), when its jars are on the classpath (opensearch/target/knn).
    private static final String KNN_PLUGIN = "org.opensearch.knn.plugin.KNNPlugin";

    private EmbeddedNode(Environment environment) {
        super(environment, plugins(), true);
    }

    private static List<Class<? extends Plugin>> plugins() {
        List<Class<? extends Plugin>> plugins = new ArrayList<>(MODULES);
        try {
            plugins.add(Class.forName(KNN_PLUGIN).asSubclass(Plugin.class));
        } catch (ClassNotFoundException absent) {
            System.out.println("k-NN plugin not on the classpath: knn_vector fields are unavailable");
        }
        return plugins;
    }

    @Override
    protected void configureNodeAndClusterIdStateListener(ClusterService clusterService) {
        // The stock listener sets a static once per JVM for log lines; MockNode skips it likewise.
    }

    public static void main(String[] args) throws Exception {
        Settings.Builder builder = Settings.builder();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("expected key=value, got: " + arg);
            }
            builder.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        Settings settings = builder.build();
        Path home = Path.of(settings.get("path.home"));
        Files.createDirectories(home.resolve("modules"));
        Files.createDirectories(home.resolve("plugins"));
        Environment environment = InternalSettingsPreparer.prepareEnvironment(
            settings, Map.of(), null, () -> settings.get("node.name", "node-1"));
        Node node = new EmbeddedNode(environment).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }));
        // The node ends with the process that started it, even one killed with SIGKILL: a test run or
        // `make opensearch` that dies must not leave a JVM behind (exit runs the hook above: a clean close).
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> System.exit(0)));
        System.out.println("node started: " + settings.get("node.name", "node-1"));
        stopped.await();
    }
}
