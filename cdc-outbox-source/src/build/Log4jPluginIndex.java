import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.logging.log4j.core.config.plugins.processor.PluginCache;
import org.apache.logging.log4j.core.config.plugins.processor.PluginProcessor;

/**
 * Build step (not shipped): merges the log4j plugin indexes of the runtime classpath (log4j-core's
 * and log4j-layout-template-json's Log4j2Plugins.dat) into one file for the shaded jar, which can
 * hold only one file of that name. Run by exec-maven-plugin with the runtime classpath; the
 * argument is the output file.
 */
public final class Log4jPluginIndex {
  public static void main(String[] args) throws Exception {
    PluginCache cache = new PluginCache();
    cache.loadCacheFiles(
        Log4jPluginIndex.class
            .getClassLoader()
            .getResources(PluginProcessor.PLUGIN_CACHE_FILE));
    Path out = Path.of(args[0]);
    Files.createDirectories(out.getParent());
    try (OutputStream stream = Files.newOutputStream(out)) {
      cache.writeCache(stream);
    }
    System.out.println("Merged " + cache.size() + " log4j plugin categories into " + out);
  }
}
