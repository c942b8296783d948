package dev.rtkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageIdTest {

    @ParameterizedTest
    @ValueSource(strings = {"mi3fk2a-0", "mi3fk2a-42", "abcdefghijklmnop-12", "a-9223372036854775807"})
    void aWellFormedIdParsesToItself(String text) {
        assertEquals(text, MessageId.parse(text).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-1", "abc-", "abc", "ABC-1", "a b-1", "abc-1x", "abc--1", "abc-+1", "abc-٣",
        "abcdefghijklmnopq-1", "a-9223372036854775808", "a-99999999999999999999"})
    void anythingElseIsABadRequestNotACrash(String text) {
        RtkitException e = assertThrows(RtkitException.class, () -> MessageId.parse(text));
        assertEquals(RtkitException.Kind.BAD_REQUEST, e.kind());
    }
}
