package org.edapipeline.cluster;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Builds a job jar at test time, as the shade plugin would: the compiled classes of one package
 * plus the whole contents of the library jars the job bundles (the Kafka connector and client).
 * Flink's own classes are not bundled: the cluster provides them.
 */
final class JobJar {
  private final Class<?> mainClass;
  private final List<Class<?>> bundledLibraries = new ArrayList<>();

  private JobJar(Class<?> mainClass) {
    this.mainClass = mainClass;
  }

  /** A jar with every class of {@code mainClass}'s package, {@code mainClass} as its Main-Class. */
  static JobJar of(Class<?> mainClass) {
    return new JobJar(mainClass);
  }

  /** Also bundles the whole jar that {@code classInLibrary} is loaded from. */
  JobJar bundling(Class<?> classInLibrary) {
    bundledLibraries.add(classInLibrary);
    return this;
  }

  /** Writes the jar and returns its path. */
  Path writeTo(Path jar) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass.getName());
    Files.createDirectories(jar.toAbsolutePath().getParent());
    Set<String> written = new HashSet<>();
    Map<String, ByteArrayOutputStream> services = new LinkedHashMap<>();
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
      written.add(JarFile.MANIFEST_NAME);
      addPackage(out, written);
      for (Class<?> library : bundledLibraries) {
        addLibrary(out, locationOf(library), written, services);
      }
      for (Map.Entry<String, ByteArrayOutputStream> service : services.entrySet()) {
        out.putNextEntry(new JarEntry(service.getKey()));
        service.getValue().writeTo(out);
        out.closeEntry();
      }
    }
    return jar;
  }

  private void addPackage(JarOutputStream out, Set<String> written) throws IOException {
    Path root = locationOf(mainClass);
    String packagePath = mainClass.getPackageName().replace('.', '/');
    try (Stream<Path> files = Files.walk(root.resolve(packagePath), 1)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        String name = packagePath + "/" + file.getFileName();
        out.putNextEntry(new JarEntry(name));
        Files.copy(file, out);
        out.closeEntry();
        written.add(name);
      }
    }
  }

  private static void addLibrary(
      JarOutputStream out,
      Path library,
      Set<String> written,
      Map<String, ByteArrayOutputStream> services)
      throws IOException {
    try (JarFile jar = new JarFile(library.toFile())) {
      for (JarEntry entry : jar.stream().toList()) {
        String name = entry.getName();
        if (entry.isDirectory() || skipped(name)) {
          continue;
        }
        try (InputStream in = jar.getInputStream(entry)) {
          if (name.startsWith("META-INF/services/")) {
            // service files of several libraries are concatenated, as the shade plugin does
            ByteArrayOutputStream merged =
                services.computeIfAbsent(name, n -> new ByteArrayOutputStream());
            in.transferTo(merged);
            merged.write('\n');
          } else if (written.add(name)) {
            out.putNextEntry(new JarEntry(name));
            in.transferTo(out);
            out.closeEntry();
          }
        }
      }
    }
  }

  private static boolean skipped(String name) {
    String upper = name.toUpperCase(java.util.Locale.ROOT);
    return upper.equals("META-INF/MANIFEST.MF")
        || upper.endsWith("MODULE-INFO.CLASS")
        || (upper.startsWith("META-INF/")
            && (upper.endsWith(".SF") || upper.endsWith(".DSA") || upper.endsWith(".RSA")));
  }

  private static Path locationOf(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("Cannot locate the classes of " + type, e);
    }
  }
}
