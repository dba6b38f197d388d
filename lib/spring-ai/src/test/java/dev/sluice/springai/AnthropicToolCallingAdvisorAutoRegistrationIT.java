package dev.sluice.springai;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.test.chat.client.advisor.AbstractToolCallingAdvisorAutoRegistrationIT;

/** Spring AI's suite of the ToolCallingAdvisor that ChatClient registers by itself, in the Anthropic wire format. */
class AnthropicToolCallingAdvisorAutoRegistrationIT extends AbstractToolCallingAdvisorAutoRegistrationIT {
    @BeforeAll
    static void startServer() {
        ToolCallingAdvisorSuite.startServer();
    }

    @AfterAll
    static void stopServer() {
        ToolCallingAdvisorSuite.stopServer();
    }

    @Override
    protected ChatModel getChatModel() {
        return ToolCallingAdvisorSuite.over(ToolCallingAdvisorSuite.anthropic, "claude-sonnet-4-5");
    }
}
