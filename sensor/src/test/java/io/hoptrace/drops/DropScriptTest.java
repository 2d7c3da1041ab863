package io.hoptrace.drops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DropScriptTest {

  @Test
  void skippedReasonsAndTheNamespaceFilterInTheKernel() {
    String s =
        DropScript.generate(
            Set.of(47, 2), OptionalLong.of(4026532778L), 10, DropScript.DEFAULT_VXLAN_PORTS);
    assertThat(s)
        .contains(
            "tracepoint:skb:kfree_skb /args->reason != 2 && args->reason != 47 &&"
                + " ((struct sk_buff *)args->skbaddr)->dev->nd_net.net->ns.inum == 4026532778/")
        .contains("if ($op == 17 && ($odp == 4789 || $odp == 8472))")
        .contains("if ($op == 17 && $odp == 6081)")
        .contains("interval:s:1 { print(@drops); clear(@drops); }")
        .contains("interval:s:10 { exit(); }")
        .contains("END { print(@drops); clear(@drops); }");
  }

  @Test
  void noFilterNoDuration() {
    String s = DropScript.generate(Set.of(), OptionalLong.empty(), 0, List.of(4789));
    assertThat(s).contains("tracepoint:skb:kfree_skb {\n").doesNotContain("exit()");
    assertThat(s).contains("($odp == 4789)");
  }

  @Test
  void theKeyHasTheFieldsTheParserReads() {
    String s = DropScript.generate(Set.of(), OptionalLong.empty(), 0, List.of(8472));
    String key = s.substring(s.indexOf("@drops["), s.indexOf("] = count()"));
    assertThat(key.split(",")).hasSize(15);
    assertThat(key).endsWith("$skb->dev->name");
  }

  @Test
  void badArgumentsAreRefused() {
    assertThatThrownBy(() -> DropScript.generate(Set.of(), OptionalLong.empty(), -1, List.of(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DropScript.generate(Set.of(), OptionalLong.empty(), 0, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
