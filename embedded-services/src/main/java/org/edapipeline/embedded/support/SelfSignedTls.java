package org.edapipeline.embedded.support;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.edapipeline.embedded.EmbeddedServiceException;

/**
 * A certificate authority and a server certificate for {@code localhost} (subject alternative names
 * {@code localhost} and {@code 127.0.0.1}), made at run time and written as PKCS12 key and trust
 * stores, so that TLS listeners can be tested without any key material in the repository.
 *
 * <p>Keys are EC P-256 (generated in milliseconds, unlike RSA); certificates are valid from one
 * hour ago for seven days. Both stores share one random password.
 *
 * @param keystore PKCS12 with the server's key and its chain (server certificate, CA)
 * @param truststore PKCS12 with the CA certificate only: what clients trust
 * @param password the password of both stores and of the key
 */
public record SelfSignedTls(Path keystore, Path truststore, String password) {

  /** The store type of both files. */
  public static final String STORE_TYPE = "PKCS12";

  private static final String SIGNATURE = "SHA256withECDSA";
  private static final String SERVER_ALIAS = "localhost";
  private static final String CA_ALIAS = "edapipeline-test-ca";
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * Generates the CA and the server certificate and writes {@code keystore.p12} and {@code
   * truststore.p12} into {@code directory} (which must exist).
   *
   * @throws EmbeddedServiceException if the key material cannot be made or written
   */
  public static SelfSignedTls writeTo(Path directory) {
    byte[] secret = new byte[18];
    RANDOM.nextBytes(secret);
    String password = HexFormat.of().formatHex(secret);
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      KeyPair caKeys = generator.generateKeyPair();
      KeyPair serverKeys = generator.generateKeyPair();
      X500Name caName = new X500Name("CN=edapipeline embedded test CA");
      X509Certificate ca =
          sign(
              new JcaX509v3CertificateBuilder(
                      caName, serial(), notBefore(), notAfter(), caName, caKeys.getPublic())
                  .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                  .addExtension(
                      Extension.keyUsage,
                      true,
                      new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)),
              caKeys);
      X509Certificate server =
          sign(
              new JcaX509v3CertificateBuilder(
                      caName,
                      serial(),
                      notBefore(),
                      notAfter(),
                      new X500Name("CN=localhost"),
                      serverKeys.getPublic())
                  .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                  .addExtension(
                      Extension.keyUsage,
                      true,
                      new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
                  .addExtension(
                      Extension.extendedKeyUsage,
                      false,
                      new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                  .addExtension(
                      Extension.subjectAlternativeName,
                      false,
                      new GeneralNames(
                          new GeneralName[] {
                            new GeneralName(GeneralName.dNSName, "localhost"),
                            new GeneralName(GeneralName.iPAddress, "127.0.0.1")
                          })),
              caKeys);

      KeyStore keystore = KeyStore.getInstance(STORE_TYPE);
      keystore.load(null, null);
      keystore.setKeyEntry(
          SERVER_ALIAS,
          serverKeys.getPrivate(),
          password.toCharArray(),
          new Certificate[] {server, ca});
      KeyStore truststore = KeyStore.getInstance(STORE_TYPE);
      truststore.load(null, null);
      truststore.setCertificateEntry(CA_ALIAS, ca);

      Path keystoreFile = directory.resolve("keystore.p12");
      Path truststoreFile = directory.resolve("truststore.p12");
      store(keystore, keystoreFile, password);
      store(truststore, truststoreFile, password);
      return new SelfSignedTls(keystoreFile, truststoreFile, password);
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new EmbeddedServiceException("Cannot make TLS certificates in " + directory, e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuer)
      throws OperatorCreationException, GeneralSecurityException {
    ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE).build(issuer.getPrivate());
    X509CertificateHolder holder = builder.build(signer);
    return new JcaX509CertificateConverter().getCertificate(holder);
  }

  private static void store(KeyStore store, Path file, String password)
      throws IOException, GeneralSecurityException {
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, password.toCharArray());
    }
  }

  private static BigInteger serial() {
    return new BigInteger(64, RANDOM).add(BigInteger.ONE);
  }

  private static Date notBefore() {
    return Date.from(Instant.now().minus(Duration.ofHours(1)));
  }

  private static Date notAfter() {
    return Date.from(Instant.now().plus(Duration.ofDays(7)));
  }

  @Override
  public String toString() {
    return "SelfSignedTls[keystore=" + keystore + ", truststore=" + truststore + "]";
  }
}
