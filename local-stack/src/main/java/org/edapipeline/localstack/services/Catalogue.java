package org.edapipeline.localstack.services;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The shop's price list, known to the order service (to price orders) and the payment service (to
 * charge reserved lines): a simulation's stand-in for a product catalogue service. Prices are in
 * minor units of {@link #CURRENCY}.
 */
final class Catalogue {

  static final String CURRENCY = "EUR";

  record Product(String sku, long unitPriceMinor) {}

  static final List<Product> PRODUCTS =
      List.of(
          new Product("SKU-KEYBOARD", 4_999),
          new Product("SKU-MOUSE", 2_499),
          new Product("SKU-MONITOR", 18_900),
          new Product("SKU-DOCK", 12_950),
          new Product("SKU-HEADSET", 7_900),
          new Product("SKU-CABLE", 999),
          new Product("SKU-WEBCAM", 5_990),
          new Product("SKU-CHAIR", 24_900));

  private static final Map<String, Long> PRICES =
      PRODUCTS.stream().collect(Collectors.toMap(Product::sku, Product::unitPriceMinor));

  private Catalogue() {}

  /** The unit price of {@code sku}; an unknown SKU (an event injected by hand) costs 1.00. */
  static long priceOf(String sku) {
    return PRICES.getOrDefault(sku, 100L);
  }

  /** Sum of quantity times unit price. */
  static <T> long total(List<T> lines, Function<T, String> sku, Function<T, Integer> quantity) {
    return lines.stream().mapToLong(l -> priceOf(sku.apply(l)) * quantity.apply(l)).sum();
  }
}
