package io.crewjvm.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * Parses JSON text keeping each number that is not an integer as it was written, so that it is written back the
 * same: 1.10, 0.0000001 and 2.5e3 stay so, where a double would be written 1.1, 1.0E-7 and 2500.0, and a BigDecimal
 * of its own 1.10, 1E-7 and 2.5E+3. Each is read (with {@code USE_BIG_DECIMAL_FOR_FLOATS}) as a {@link BigDecimal}
 * whose text is the one it was read from. Integers are written back as they were read already, whatever their size.
 */
final class WrittenNumbers extends JsonFactory {

    @Override
    public JsonParser createParser(String content) throws IOException {
        return new JsonParserDelegate(super.createParser(content)) {
            @Override
            public BigDecimal getDecimalValue() throws IOException {
                return new Written(getText());
            }
        };
    }

    /** A number whose text is the one it was read from. */
    private static final class Written extends BigDecimal {

        private static final long serialVersionUID = 1L;
        private final String text;

        Written(String text) {
            super(text);
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
