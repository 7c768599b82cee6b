package apisign.parity;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.core.ResolvableType;
import org.springframework.core.SpringVersion;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.codec.FormHttpMessageReader;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.util.MultiValueMap;
import reactor.core.publisher.Flux;

/**
 * What the JetLinks server signs for each request of a corpus, computed by Spring itself: the
 * query through the server request's own {@code getQueryParams()} (QUERY_PATTERN + URLDecoder,
 * after {@code java.net.URI} has accepted the target), forms through
 * the test of {@code DefaultServerWebExchange.initFormData} and the {@code FormHttpMessageReader} it calls, the Content-Type through
 * {@code HttpHeaders.getContentType()} (MediaType.parseMediaType). Then, as the JetLinks server
 * does: first value per key (a null first value, i.e. a bare key, fails), keys sorted by
 * {@code String.compareTo}, {@code k=v} joined with {@code &}.
 *
 * <p>Input lines: {@code id TAB method TAB b64(query) TAB b64(content-type)|- TAB b64(body)}.
 * Output lines: {@code id TAB result}, result one of {@code ok:b64(utf-8 param string)},
 * {@code body} (the raw body is signed), {@code err:KIND}.
 */
public final class SpringParity {

	private static final class Fail extends RuntimeException {
		Fail(String kind) {
			super(kind, null, false, false);
		}
	}

	private static final ResolvableType FORM_DATA_TYPE =
			ResolvableType.forClassWithGenerics(MultiValueMap.class, String.class, String.class);

	private static final boolean SPRING5 = SpringVersion.getVersion().startsWith("5.");

	public static void main(String[] args) throws Exception {
		Base64.Decoder b64d = Base64.getDecoder();
		Base64.Encoder b64e = Base64.getEncoder();
		try (BufferedReader in = new BufferedReader(new InputStreamReader(new FileInputStream(args[0]), StandardCharsets.UTF_8));
				PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(new FileOutputStream(args[1]), StandardCharsets.UTF_8)))) {
			String line;
			while ((line = in.readLine()) != null) {
				String[] f = line.split("\t", -1);
				String query = new String(b64d.decode(f[2]), StandardCharsets.UTF_8);
				String ct = f[3].equals("-") ? null : new String(b64d.decode(f[3]), StandardCharsets.UTF_8);
				byte[] body = b64d.decode(f[4]);
				String result;
				try {
					String signed = signed(f[1], query, ct, body);
					result = signed == null ? "body" : "ok:" + b64e.encodeToString(signed.getBytes(StandardCharsets.UTF_8));
				}
				catch (Fail e) {
					result = "err:" + e.getMessage();
				}
				catch (RuntimeException e) {
					result = "err:" + classify(e);
				}
				out.println(f[0] + "\t" + result);
			}
		}
		System.err.println("spring " + SpringVersion.getVersion() + " done");
	}

	/** The param string the server signs, or null when it signs the raw body. */
	private static String signed(String method, String query, String contentType, byte[] body) {
		URI uri;
		try {
			uri = new URI("http://localhost/x" + (query.isEmpty() ? "" : "?" + query));
		}
		catch (URISyntaxException e) {
			throw new Fail("uri");
		}
		DataBuffer buffer = new DefaultDataBufferFactory().wrap(body);
		MockServerHttpRequest.BodyBuilder builder = MockServerHttpRequest.method(HttpMethod.valueOf(method), uri);
		if (contentType != null) {
			builder.header("Content-Type", contentType);
		}
		MockServerHttpRequest request = builder.body(Flux.just(buffer));
		if (method.equals("GET") || method.equals("DELETE")) {
			return join(request.getQueryParams());
		}
		MediaType mediaType;
		try {
			mediaType = request.getHeaders().getContentType();
		}
		catch (InvalidMediaTypeException e) {
			throw new Fail("invalid_content_type");
		}
		// DefaultServerWebExchange.initFormData's test in each version.
		boolean form = SPRING5 ? MediaType.APPLICATION_FORM_URLENCODED.isCompatibleWith(mediaType)
				: mediaType != null && mediaType.isConcrete() && mediaType.isCompatibleWith(MediaType.APPLICATION_FORM_URLENCODED);
		if (!form) {
			return null;
		}
		// What initFormData then runs (the exchange itself would also demand a multipart reader).
		return join(new FormHttpMessageReader().readMono(FORM_DATA_TYPE, request, Collections.emptyMap()).block());
	}

	private static String join(MultiValueMap<String, String> params) {
		TreeMap<String, String> sorted = new TreeMap<>();
		for (Map.Entry<String, List<String>> e : params.entrySet()) {
			String first = e.getValue().get(0);
			if (first == null) {
				throw new Fail("bare_key");
			}
			sorted.put(e.getKey(), first);
		}
		StringBuilder sb = new StringBuilder();
		for (Map.Entry<String, String> e : sorted.entrySet()) {
			if (sb.length() > 0) {
				sb.append('&');
			}
			sb.append(e.getKey()).append('=').append(e.getValue());
		}
		return sb.toString();
	}

	private static String classify(Throwable e) {
		for (Throwable t = e; t != null; t = t.getCause()) {
			if (t instanceof UnsupportedCharsetException || t instanceof IllegalCharsetNameException) {
				return "charset";
			}
			if (t instanceof InvalidMediaTypeException) {
				return "invalid_content_type";
			}
			if (t instanceof IllegalArgumentException && String.valueOf(t.getMessage()).contains("URLDecoder")) {
				return "bad_escape";
			}
		}
		return "other:" + e.getClass().getSimpleName() + ":" + e.getMessage();
	}
}
