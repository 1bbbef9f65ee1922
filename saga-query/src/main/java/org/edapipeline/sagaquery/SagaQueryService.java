package org.edapipeline.sagaquery;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Properties;
import org.edapipeline.sagaquery.http.SagaQueryServer;
import org.edapipeline.sagaquery.kafka.SagaStateMaterializer;
import org.edapipeline.sagaquery.view.SagaView;
import org.edapipeline.schemas.registry.RestSchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClientConfig;

/**
 * The saga query service: a {@link SagaView} kept up to date from {@code saga.state} by a {@link
 * SagaStateMaterializer} and served by a {@link SagaQueryServer}. Closing it stops both.
 */
public final class SagaQueryService implements AutoCloseable {

  private final SagaView view = new SagaView();
  private final SagaStateMaterializer materializer;
  private final SagaQueryServer server;

  private SagaQueryService(
      Properties kafka, SchemaRegistryClientConfig registry, InetSocketAddress address)
      throws IOException {
    materializer = new SagaStateMaterializer(kafka, new RestSchemaRegistryClient(registry), view);
    try {
      server = new SagaQueryServer(address, view, materializer);
    } catch (IOException | RuntimeException e) {
      materializer.close();
      throw e;
    }
  }

  /**
   * Starts the service: the view starts rebuilding from the beginning of {@code saga.state} and the
   * API answers at once ({@code /health} says when the view has caught up).
   *
   * @param kafka Kafka client properties with {@code bootstrap.servers} (and any security settings)
   * @param address where to listen; port 0 picks a free one
   */
  public static SagaQueryService start(
      Properties kafka, SchemaRegistryClientConfig registry, InetSocketAddress address)
      throws IOException {
    SagaQueryService service = new SagaQueryService(kafka, registry, address);
    service.materializer.start();
    service.server.start();
    return service;
  }

  /** Base URL of the API, e.g. {@code http://127.0.0.1:8089}. */
  public String url() {
    InetSocketAddress address = server.address();
    return "http://" + address.getHostString() + ":" + address.getPort();
  }

  /** Whether the view has caught up with the topic. */
  public boolean ready() {
    return materializer.ready();
  }

  @Override
  public void close() {
    server.close();
    materializer.close();
  }
}
