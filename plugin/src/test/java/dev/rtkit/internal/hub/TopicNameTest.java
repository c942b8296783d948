package dev.rtkit.internal.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rtkit.RtkitException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopicNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "news", "chat/1", "a.b/c_d-e", ".a/..b/c..", "x/.y", "..a"})
    void aNameOfAllowedCharactersAndSegmentsIsKept(String name) {
        assertEquals(name, TopicName.validate(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {".", "..", "/", "a/", "/a", "a//b", "a/./b", "a/../b", "a/..", "./a", "a/."})
    void aNameThatCouldTraverseIsRefused(String name) {
        RtkitException e = assertThrows(RtkitException.class, () -> TopicName.validate(name));
        assertTrue(TopicName.refused(e), e.getMessage());
        assertTrue(e.getMessage().contains("segment"), e.getMessage());
    }
}
