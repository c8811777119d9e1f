package dev.weft.examples.seed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.examples.testing.Transcript;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PrintResultTest {

    @Test
    void shouldHandDownstreamTaskTheUpstreamValueNotTheFuture() throws Exception {
        assertThat(Transcript.printed(Transcript.of(() -> PrintResult.main(new String[0]))))
                .containsExactly("class java.lang.String", "Hello Marvin!");
    }
}
