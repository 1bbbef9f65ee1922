package org.edapipeline.cluster;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads a job jar the way a Flink cluster does ({@code classloader.resolve-order: child-first}):
 * the jar's own classes first, Flink's and the JDK's from the parent. Parent-first would load the
 * project's classes that the test classpath also has (e.g. {@code schemas}) from the parent, where
 * the jar's bundled dependencies (OpenTelemetry, ...) are out of their sight.
 */
final class ChildFirstJarLoader extends URLClassLoader {

  /** Flink's own {@code classloader.parent-first-patterns.default}, in short. */
  private static final List<String> PARENT_FIRST =
      List.of(
          "java.",
          "javax.",
          "jdk.",
          "sun.",
          "org.apache.flink.",
          "org.slf4j",
          "org.apache.log4j",
          "org.apache.logging");

  ChildFirstJarLoader(Path jar, ClassLoader parent) throws MalformedURLException {
    super(new URL[] {jar.toUri().toURL()}, parent);
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    if (PARENT_FIRST.stream().anyMatch(name::startsWith)) {
      return super.loadClass(name, resolve);
    }
    synchronized (getClassLoadingLock(name)) {
      Class<?> loaded = findLoadedClass(name);
      if (loaded == null) {
        try {
          loaded = findClass(name);
        } catch (ClassNotFoundException notInTheJar) {
          return super.loadClass(name, resolve);
        }
      }
      if (resolve) {
        resolveClass(loaded);
      }
      return loaded;
    }
  }
}
