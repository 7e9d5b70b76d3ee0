package io.pgha.common.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM certificates and private keys the way OpenSSL writes them: certificate bundles, and
 * keys in PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1
 * ({@code EC PRIVATE KEY}), so no one has to convert a key for the JVM (pgjdbc, say, wants PKCS#8
 * DER otherwise). Errors say what is wrong with the file and never quote it.
 */
final class Pem {
  private static final Pattern BLOCK = Pattern.compile(
      "-----BEGIN ([A-Z0-9 ]+)-----\\r?\\n(.*?)-----END \\1-----", Pattern.DOTALL);
  private static final byte[] RSA_ALGORITHM = {
      0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
  private static final byte[] EC_PUBLIC_KEY_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};
  private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS");

  private record Block(String type, String headers, byte[] der) {}

  private Pem() {}

  /** Every certificate in the file, in order; at least one. */
  static List<X509Certificate> certificates(TlsFiles.File file) {
    List<X509Certificate> out = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (Block b : blocks(file)) {
        if (b.type().equals("CERTIFICATE") || b.type().equals("TRUSTED CERTIFICATE")) {
          out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.der())));
        }
      }
    } catch (CertificateException e) {
      throw new TlsFileException(file.key(), file.path(), "not a valid certificate (" + firstLine(e) + ")");
    }
    if (out.isEmpty()) {
      throw new TlsFileException(file.key(), file.path(), "holds no PEM certificate");
    }
    return out;
  }

  /** The one private key in the file. */
  static PrivateKey privateKey(TlsFiles.File file) {
    for (Block b : blocks(file)) {
      switch (b.type()) {
        case "PRIVATE KEY" -> {
          return pkcs8(file, b.der());
        }
        case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> {
          if (b.headers().contains("ENCRYPTED")) {
            throw encrypted(file);
          }
          try {
            return pkcs8(file, b.type().startsWith("RSA") ? fromPkcs1(b.der()) : fromSec1(b.der()));
          } catch (IOException e) {
            throw new TlsFileException(file.key(), file.path(), "not a valid " + b.type().toLowerCase() + " (" + e.getMessage() + ")");
          }
        }
        case "ENCRYPTED PRIVATE KEY" -> throw encrypted(file);
        default -> { } // EC PARAMETERS and the like: not the key
      }
    }
    throw new TlsFileException(file.key(), file.path(), "holds no PEM private key");
  }

  private static TlsFileException encrypted(TlsFiles.File file) {
    return new TlsFileException(file.key(), file.path(),
        "the private key is encrypted; give an unencrypted one (openssl pkey -in KEY -out KEY.plain), readable by the exporter only");
  }

  private static PrivateKey pkcs8(TlsFiles.File file, byte[] der) {
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String algorithm : KEY_ALGORITHMS) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        // not this algorithm: try the next
      }
    }
    throw new TlsFileException(file.key(), file.path(), "not a private key of a kind Java reads (RSA, EC, Ed25519)");
  }

  private static List<Block> blocks(TlsFiles.File file) {
    String text;
    try {
      text = Files.readString(file.path(), StandardCharsets.ISO_8859_1);
    } catch (NoSuchFileException e) {
      throw new TlsFileException(file.key(), file.path(), "no such file");
    } catch (IOException e) {
      throw new TlsFileException(file.key(), file.path(), "cannot read it (" + firstLine(e) + ")");
    }
    List<Block> blocks = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      String body = m.group(2);
      StringBuilder headers = new StringBuilder();
      StringBuilder base64 = new StringBuilder();
      for (String line : body.split("\\r?\\n")) {
        if (line.contains(":")) {
          headers.append(line).append('\n');
        } else {
          base64.append(line.strip());
        }
      }
      try {
        blocks.add(new Block(m.group(1), headers.toString(), Base64.getDecoder().decode(base64.toString())));
      } catch (IllegalArgumentException e) {
        throw new TlsFileException(file.key(), file.path(), "a " + m.group(1) + " block is not valid base64");
      }
    }
    return blocks;
  }

  /** PKCS#1 RSAPrivateKey wrapped as PKCS#8 PrivateKeyInfo. */
  static byte[] fromPkcs1(byte[] pkcs1) throws IOException {
    return privateKeyInfo(RSA_ALGORITHM, pkcs1);
  }

  /** SEC1 ECPrivateKey wrapped as PKCS#8 PrivateKeyInfo, its curve moved into the algorithm. */
  static byte[] fromSec1(byte[] sec1) throws IOException {
    Der outer = Der.read(sec1, 0);
    if (outer.tag() != 0x30) {
      throw new IOException("not a DER sequence");
    }
    byte[] curve = null;
    int at = outer.valueStart();
    while (at < outer.end()) {
      Der element = Der.read(sec1, at);
      if (element.tag() == 0xa0) { // [0] parameters: the named curve's OID
        Der oid = Der.read(sec1, element.valueStart());
        curve = java.util.Arrays.copyOfRange(sec1, oid.start(), oid.end());
      }
      at = element.end();
    }
    if (curve == null) {
      throw new IOException("no named curve in the key");
    }
    ByteArrayOutputStream algorithm = new ByteArrayOutputStream();
    algorithm.writeBytes(EC_PUBLIC_KEY_OID);
    algorithm.writeBytes(curve);
    return privateKeyInfo(Der.encode(0x30, algorithm.toByteArray()), sec1);
  }

  private static byte[] privateKeyInfo(byte[] algorithm, byte[] key) {
    ByteArrayOutputStream info = new ByteArrayOutputStream();
    info.writeBytes(new byte[] {0x02, 0x01, 0x00}); // version 0
    info.writeBytes(algorithm);
    info.writeBytes(Der.encode(0x04, key));
    return Der.encode(0x30, info.toByteArray());
  }

  /** One DER element: its tag, where it starts, where its value starts, where it ends. */
  private record Der(int tag, int start, int valueStart, int end) {
    static Der read(byte[] der, int at) throws IOException {
      if (at + 2 > der.length) {
        throw new IOException("truncated DER");
      }
      int tag = der[at] & 0xff;
      int first = der[at + 1] & 0xff;
      int length;
      int header = 2;
      if (first < 0x80) {
        length = first;
      } else {
        int bytes = first & 0x7f;
        if (bytes < 1 || bytes > 3 || at + 2 + bytes > der.length) {
          throw new IOException("bad DER length");
        }
        length = 0;
        for (int i = 0; i < bytes; i++) {
          length = (length << 8) | (der[at + 2 + i] & 0xff);
        }
        header += bytes;
      }
      if (at + header + length > der.length) {
        throw new IOException("truncated DER");
      }
      return new Der(tag, at, at + header, at + header + length);
    }

    static byte[] encode(int tag, byte[] value) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(tag);
      int n = value.length;
      if (n < 0x80) {
        out.write(n);
      } else if (n < 0x100) {
        out.write(0x81);
        out.write(n);
      } else if (n < 0x10000) {
        out.write(0x82);
        out.write(n >> 8);
        out.write(n & 0xff);
      } else {
        out.write(0x83);
        out.write(n >> 16);
        out.write((n >> 8) & 0xff);
        out.write(n & 0xff);
      }
      out.writeBytes(value);
      return out.toByteArray();
    }
  }

  private static String firstLine(Exception e) {
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
  }
}
