// The linksfield v2 message as a Java client builds it with Jackson: the JSON body read into a
// TreeMap<String, Object> (untyped values: Integer/Long/BigInteger, Double, String, Boolean,
// LinkedHashMap, ArrayList), timestamp/nonce/x-sign-uri added, top-level null and "" dropped,
// written by an ObjectMapper with ORDER_MAP_ENTRIES_BY_KEYS (every map sorted by String order).
//
// stdin: one body per line, as a JSON string literal. stdout, one line per body:
// "<default writer>\t<fast double writer>", each "OK <base64 of the message's UTF-8 bytes>" or
// "ERR <exception>". The default writer prints doubles with the running JDK's
// Double.toString; USE_FAST_DOUBLE_WRITER prints them as JDK 19+ does on any JDK.
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.TreeMap;

public final class JacksonMessage {
  private static final TypeReference<TreeMap<String, Object>> MAP = new TypeReference<>() {};

  public static void main(String[] args) throws IOException {
    ObjectMapper plain =
        JsonMapper.builder().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();
    ObjectMapper fast =
        JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .build();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    BufferedWriter out =
        new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String body = plain.readValue(line, String.class);
      out.write(message(plain, body) + "\t" + message(fast, body) + "\n");
    }
    out.flush();
  }

  private static String message(ObjectMapper om, String body) {
    try {
      TreeMap<String, Object> params = new TreeMap<>();
      if (!body.isBlank()) {
        params.putAll(om.readValue(body, MAP));
      }
      params.put("timestamp", "1674197059220");
      params.put("nonce", "1");
      params.put("x-sign-uri", "/cube/v4/x");
      params.values().removeIf(v -> v == null || "".equals(v));
      // What the client signs: the message's UTF-8 bytes (a lone surrogate becomes '?').
      byte[] bytes = om.writeValueAsString(params).getBytes(StandardCharsets.UTF_8);
      return "OK " + Base64.getEncoder().encodeToString(bytes);
    } catch (Exception e) {
      return "ERR " + e.getClass().getSimpleName();
    }
  }
}
