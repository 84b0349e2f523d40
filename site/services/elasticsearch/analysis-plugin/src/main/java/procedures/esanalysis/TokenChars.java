package procedures.esanalysis;

import java.util.List;
import java.util.Locale;

/** The token_chars classes of analysis-common's ngram tokenizers, by Unicode category. */
final class TokenChars {
    private final boolean letter;
    private final boolean digit;
    private final boolean whitespace;
    private final boolean punctuation;
    private final boolean symbol;
    private final String custom;

    private TokenChars(boolean letter, boolean digit, boolean whitespace, boolean punctuation, boolean symbol, String custom) {
        this.letter = letter;
        this.digit = digit;
        this.whitespace = whitespace;
        this.punctuation = punctuation;
        this.symbol = symbol;
        this.custom = custom;
    }

    /** Returns null when every character is a token character (no token_chars given). */
    static TokenChars parse(List<String> classes, String customChars) {
        if (classes == null || classes.isEmpty()) {
            return null;
        }
        boolean letter = false, digit = false, whitespace = false, punctuation = false, symbol = false, custom = false;
        for (String raw : classes) {
            String c = raw.trim().toLowerCase(Locale.ROOT);
            switch (c) {
                case "letter": letter = true; break;
                case "digit": digit = true; break;
                case "whitespace": whitespace = true; break;
                case "punctuation": punctuation = true; break;
                case "symbol": symbol = true; break;
                case "custom": custom = true; break;
                case "": break;
                default:
                    throw new IllegalArgumentException(
                        "Unknown token type: '" + c + "', must be one of [letter, digit, whitespace, punctuation, symbol, custom]"
                    );
            }
        }
        String customSet = custom && customChars != null ? customChars : "";
        if (custom && customSet.isEmpty()) {
            throw new IllegalArgumentException("Token type: 'custom' requires setting `custom_token_chars`");
        }
        return new TokenChars(letter, digit, whitespace, punctuation, symbol, customSet);
    }

    boolean isTokenChar(int c) {
        if (custom.indexOf(c) >= 0) {
            return true;
        }
        if (whitespace && Character.isWhitespace(c)) {
            return true;
        }
        switch (Character.getType(c)) {
            case Character.UPPERCASE_LETTER:
            case Character.LOWERCASE_LETTER:
            case Character.TITLECASE_LETTER:
            case Character.MODIFIER_LETTER:
            case Character.OTHER_LETTER:
            case Character.NON_SPACING_MARK:
            case Character.ENCLOSING_MARK:
            case Character.COMBINING_SPACING_MARK:
                return letter;
            case Character.DECIMAL_DIGIT_NUMBER:
            case Character.LETTER_NUMBER:
            case Character.OTHER_NUMBER:
                return digit;
            case Character.START_PUNCTUATION:
            case Character.END_PUNCTUATION:
            case Character.OTHER_PUNCTUATION:
            case Character.CONNECTOR_PUNCTUATION:
            case Character.DASH_PUNCTUATION:
            case Character.INITIAL_QUOTE_PUNCTUATION:
            case Character.FINAL_QUOTE_PUNCTUATION:
                return punctuation;
            case Character.MATH_SYMBOL:
            case Character.CURRENCY_SYMBOL:
            case Character.MODIFIER_SYMBOL:
            case Character.OTHER_SYMBOL:
                return symbol;
            default:
                return false;
        }
    }
}
