package dev.vxdns.endtoend;

import dev.vxdns.message.Delivery;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The cases of a test that must hold in both deliveries of the pipeline ("one contract, two
 * deliveries"), each delivery on a node of its own started once for all its cases. A test states
 * its cases once, in an abstract nested class extending this, and names the two deliveries:
 *
 * <pre>
 * class SomeEndToEndTest {
 *   &#64;Nested class DirectDelivery extends Cases implements BothDeliveries.Direct {}
 *   &#64;Nested class EventBusDelivery extends Cases implements BothDeliveries.EventBus {}
 *
 *   abstract static class Cases extends BothDeliveries {
 *     &#64;Test void ...() { node.query(...); }
 *   }
 * }
 * </pre>
 *
 * The two one-line classes stay in the test because JUnit 5.11 finds nested classes only where they
 * are declared; a class-level template ({@code @ParameterizedClass}) arrives in 5.13.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BothDeliveries {
  /** Marks the nested class of a test that runs its cases in {@link Delivery#DIRECT}. */
  interface Direct {}

  /** Marks the nested class of a test that runs its cases in {@link Delivery#EVENTBUS}. */
  interface EventBus {}

  /** This delivery's node, started before the first case and stopped after the last. */
  TestNode node;

  /** This class's delivery, from its marker interface. */
  final Delivery delivery() {
    boolean direct = this instanceof Direct;
    boolean eventBus = this instanceof EventBus;
    if (direct == eventBus) {
      throw new IllegalStateException(
          getClass().getName() + " must implement exactly one of BothDeliveries.Direct, .EventBus");
    }
    return direct ? Delivery.DIRECT : Delivery.EVENTBUS;
  }

  /** Starts this delivery's node; by default {@link TestNode#start(Delivery)}. */
  TestNode startNode(Delivery delivery) throws Exception {
    return TestNode.start(delivery);
  }

  @BeforeAll
  final void startTheNode() throws Exception {
    node = startNode(delivery());
  }

  @AfterAll
  final void stopTheNode() throws Exception {
    node.close();
  }
}
