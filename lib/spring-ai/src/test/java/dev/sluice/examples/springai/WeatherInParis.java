package dev.sluice.examples.springai;

import dev.sluice.anthropic.AnthropicClient;
import dev.sluice.springai.SluiceChatModel;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.advisor.ToolCallingAdvisor;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.tool.annotation.Tool;

/** docs/spring.md's whole program with a tool: the model asks for the weather, the advisor runs the tool; run by {@link SpringAiWholeProgramsTest}. */
public class WeatherInParis {
    public static class WeatherTools {
        @Tool(name = "get_weather", description = "The weather in a city")
        public String weather(String city) {
            System.out.println("(the model asked for the weather in " + city + ")");
            return "Sunny, 21 °C in " + city;
        }
    }

    public static void main(String[] args) {
        try (AnthropicClient anthropic = AnthropicClient.fromEnv()) { // ANTHROPIC_API_KEY, or ANTHROPIC_BASE_URL
            ChatModel model = SluiceChatModel.builder()
                    .provider(anthropic)
                    .model("claude-sonnet-5-5")
                    .build();
            ChatClient chat = ChatClient.create(model);

            String weather = chat.prompt("What's the weather in Paris?")
                    .tools(new WeatherTools()) // a class with @Tool methods
                    .advisors(ToolCallingAdvisor.builder().build())
                    .call()
                    .content();
            System.out.println(weather);
        }
    }
}
