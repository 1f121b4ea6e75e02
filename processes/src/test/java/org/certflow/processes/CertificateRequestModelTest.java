package org.certflow.processes;

import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.CallActivity;
import org.camunda.bpm.model.bpmn.instance.ConditionExpression;
import org.camunda.bpm.model.bpmn.instance.EndEvent;
import org.camunda.bpm.model.bpmn.instance.Event;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.Gateway;
import org.camunda.bpm.model.bpmn.instance.Message;
import org.camunda.bpm.model.bpmn.instance.ParallelGateway;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;
import org.camunda.bpm.model.bpmn.instance.ServiceTask;
import org.camunda.bpm.model.bpmn.instance.StartEvent;
import org.camunda.bpm.model.bpmn.instance.SubProcess;
import org.camunda.bpm.model.bpmn.instance.Task;
import org.camunda.bpm.model.bpmn.instance.TimerEventDefinition;
import org.camunda.bpm.model.bpmn.instance.UserTask;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaFailedJobRetryTimeCycle;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaExecutionListener;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaTaskListener;
import org.certflow.processes.CertificateRequestProcess.Bean;
import org.certflow.processes.CertificateRequestProcess.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads the model as the Modeler saved it and holds it to the contract class, so that a
 * renamed element, message or bean fails here rather than in a running request.
 */
class CertificateRequestModelTest {

	private static BpmnModelInstance model;

	@BeforeAll
	static void readModel() throws Exception {
		try (InputStream in = CertificateRequestModelTest.class.getClassLoader()
			.getResourceAsStream(CertificateRequestProcess.BPMN_RESOURCE)) {
			assertThat(in).as("model on the classpath").isNotNull();
			model = Bpmn.readModelFromStream(in);
		}
	}

	@Test
	void everyContractElementIdNamesAFlowNodeOfTheProcess() throws IllegalAccessException {
		for (String id : constants(Element.class)) {
			assertThat(model.<BaseElement>getModelElementById(id)).as(id).isInstanceOf(FlowNode.class);
		}
		Process process = model.getModelElementById(CertificateRequestProcess.KEY);
		assertThat(process.isExecutable()).isTrue();
		assertThat(process.getCamundaHistoryTimeToLiveString()).isEqualTo("P400D");
	}

	@Test
	void everyIdIsPrefixedWithItsTypeInsteadOfGenerated() {
		List<String> wrong = new ArrayList<>();
		int checked = 0;
		for (BaseElement element : model.getModelElementsByType(BaseElement.class)) {
			if (element.getId() == null) {
				continue;
			}
			checked++;
			if (!idFitsItsType(element)) {
				wrong.add(element.getId() + " (" + element.getElementType().getTypeName() + ", expected "
						+ String.join(" or ", prefixesFor(element)) + "Name)");
			}
		}
		assertThat(checked).as("elements with ids").isGreaterThan(50);
		assertThat(wrong).as("ids that do not say what they are").isEmpty();
	}

	@Test
	void idRuleRefusesAWrongOrGeneratedPrefix() {
		// The rule itself, on elements that break it: a rule that cannot fail proves
		// nothing.
		BpmnModelInstance bad = Bpmn.createExecutableProcess("BadProcess")
			.startEvent("Event_Started")
			.userTask("Gateway_Review")
			.exclusiveGateway("Gateway_12rgiry")
			.endEvent("EndEvent_Done")
			.done();
		Map<String, Boolean> fits = bad.getModelElementsByType(BaseElement.class)
			.stream()
			.filter((element) -> element.getId() != null && !(element instanceof SequenceFlow))
			.collect(Collectors.toMap(BaseElement::getId, CertificateRequestModelTest::idFitsItsType));
		assertThat(fits).containsEntry("Event_Started", false)
			.containsEntry("Gateway_Review", false)
			.containsEntry("Gateway_12rgiry", false)
			.containsEntry("EndEvent_Done", true)
			.containsEntry("BadProcess", true);
	}

	/**
	 * Type prefixes of the Camunda naming convention (STYLE.md rule 6). Any element type
	 * not listed here is prefixed with its own BPMN type name, so new kinds of element
	 * are held to the convention too.
	 */
	private static List<String> prefixesFor(BaseElement element) {
		if (element instanceof Process) {
			return List.of("");
		}
		if (element instanceof Task) {
			return List.of("Task_");
		}
		if (element instanceof SubProcess) {
			return List.of("SubProcess_");
		}
		if (element instanceof CallActivity) {
			return List.of("CallActivity_");
		}
		if (element instanceof Gateway) {
			return List.of("Gateway_");
		}
		if (element instanceof StartEvent) {
			return List.of("StartEvent_");
		}
		if (element instanceof EndEvent) {
			return List.of("EndEvent_");
		}
		if (element instanceof Event event) {
			boolean timer = event.getChildElementsByType(TimerEventDefinition.class).size() > 0;
			return timer ? List.of("Timer_", "Event_") : List.of("Event_");
		}
		if (element instanceof SequenceFlow) {
			return List.of("Flow_");
		}
		String type = element.getElementType().getTypeName();
		return List.of(Character.toUpperCase(type.charAt(0)) + type.substring(1) + "_");
	}

	private static boolean idFitsItsType(BaseElement element) {
		if (element instanceof Process) {
			return element.getId().matches("[A-Z][A-Za-z0-9]*Process");
		}
		// After the prefix a name in PascalCase: generated ids (Activity_12rgiry) fail.
		return prefixesFor(element).stream()
			.anyMatch((prefix) -> element.getId().startsWith(prefix)
					&& element.getId().substring(prefix.length()).matches("[A-Z][A-Za-z0-9]*"));
	}

	@Test
	void messagesAndErrorCarryTheNamesTheServiceCorrelates() throws IllegalAccessException {
		List<String> names = model.getModelElementsByType(Message.class)
			.stream()
			.map(Message::getName)
			.collect(Collectors.toList());
		assertThat(names).containsExactlyInAnyOrderElementsOf(constants(CertificateRequestProcess.Message.class));
		assertThat(model.getModelElementsByType(org.camunda.bpm.model.bpmn.instance.Error.class))
			.extracting(org.camunda.bpm.model.bpmn.instance.Error::getErrorCode)
			.containsExactly(CertificateRequestProcess.ERROR_ISSUANCE_REFUSED);
	}

	@Test
	void delegatesAndListenersBindOnlyContractBeans() throws IllegalAccessException {
		List<String> bound = new ArrayList<>();
		for (ServiceTask task : model.getModelElementsByType(ServiceTask.class)) {
			if (task.getCamundaDelegateExpression() != null) {
				bound.add(task.getCamundaDelegateExpression());
			}
		}
		for (CamundaTaskListener listener : model.getModelElementsByType(CamundaTaskListener.class)) {
			bound.add(listener.getCamundaDelegateExpression());
		}
		for (CamundaExecutionListener listener : model.getModelElementsByType(CamundaExecutionListener.class)) {
			bound.add(listener.getCamundaDelegateExpression());
		}
		List<String> expressions = constants(Bean.class).stream()
			.filter((bean) -> !bean.equals(Bean.REQUEST_ROUTING))
			.map((bean) -> "${" + bean + "}")
			.collect(Collectors.toList());
		assertThat(bound).allMatch(expressions::contains).containsAll(expressions);
	}

	@Test
	void delegatedServiceTasksRunAsRetriedJobsSigningIsLeftToTheExternalSignerAndTheActivationEndsIt() {
		for (ServiceTask task : model.getModelElementsByType(ServiceTask.class)) {
			if (task.getId().equals(Element.SIGN_CERTIFICATE)) {
				assertThat(task.getCamundaType()).isEqualTo("external");
				assertThat(task.getCamundaTopic()).isEqualTo(CertificateRequestProcess.TOPIC_SIGN_CERTIFICATE);
				continue;
			}
			if (task.getId().equals(Element.RECORD_BILLING)) {
				// Writes the billing event in the transaction that ends the signing step:
				// an outbox row, sent and retried by the billing dispatcher.
				assertThat(task.isCamundaAsyncBefore()).as(task.getId()).isFalse();
				continue;
			}
			if (task.getId().equals(Element.SEND_ACTIVATION)) {
				// Runs in the transaction that ends the signing step: it only writes the
				// activation code and an outbox row (the outbox mails and retries), and a
				// failure counts as a retry of the signing task.
				assertThat(task.isCamundaAsyncBefore()).as(task.getId()).isFalse();
				continue;
			}
			assertThat(task.isCamundaAsyncBefore()).as(task.getId()).isTrue();
			Collection<CamundaFailedJobRetryTimeCycle> cycles = task.getExtensionElements()
				.getChildElementsByType(CamundaFailedJobRetryTimeCycle.class);
			// Publishing waits out directory outages of hours; every other step retries
			// on the shorter cycle.
			String expected = task.getId().equals(Element.PUBLISH_CERTIFICATE)
					? CertificateRequestProcess.PUBLISH_RETRY_INTERVALS : CertificateRequestProcess.JOB_RETRY_INTERVALS;
			assertThat(cycles).as(task.getId())
				.singleElement()
				.extracting((cycle) -> cycle.getTextContent())
				.isEqualTo(expected);
		}
	}

	@Test
	void publishingRunsOnABranchOfItsOwnBesideTheActivation() {
		ParallelGateway issued = model.getModelElementById(Element.GATEWAY_CERTIFICATE_ISSUED);
		// Reached from the signing step through billing, which writes in the signing
		// step's transaction.
		assertThat(issued.getIncoming()).singleElement()
			.extracting((flow) -> flow.getSource().getId())
			.isEqualTo(Element.RECORD_BILLING);
		ServiceTask billing = model.getModelElementById(Element.RECORD_BILLING);
		assertThat(billing.getIncoming()).singleElement()
			.extracting((flow) -> flow.getSource().getId())
			.isEqualTo(Element.SIGN_CERTIFICATE);
		assertThat(issued.getOutgoing()).extracting((flow) -> flow.getTarget().getId())
			.containsExactlyInAnyOrder(Element.SEND_ACTIVATION, Element.PUBLISH_CERTIFICATE);
		ServiceTask publish = model.getModelElementById(Element.PUBLISH_CERTIFICATE);
		assertThat(publish.getOutgoing()).singleElement()
			.extracting((flow) -> flow.getTarget().getId())
			.isEqualTo(Element.END_PUBLISHED);
	}

	@Test
	void gatewaysAndTimersAskTheRoutingBeanInsteadOfReadingVariables() {
		String routing = "${" + Bean.REQUEST_ROUTING + ".";
		String requestId = "(execution.processBusinessKey)";
		List<String> expressions = new ArrayList<>();
		model.getModelElementsByType(ConditionExpression.class).forEach((c) -> expressions.add(c.getTextContent()));
		for (TimerEventDefinition timer : model.getModelElementsByType(TimerEventDefinition.class)) {
			assertThat(timer.getTimeDuration()).as(timer.getId()).isNull();
			assertThat(timer.getTimeCycle()).as(timer.getId()).isNull();
			expressions.add(timer.getTimeDate().getTextContent());
		}
		// requestAcceptable is written by the check task just before its gateway, in the
		// same transaction: the only variable a gateway may read.
		assertThat(expressions).hasSize(19)
			.allMatch((expression) -> (expression.startsWith(routing) && expression.contains(requestId))
					|| expression.matches("\\$\\{!?" + CertificateRequestProcess.Variable.REQUEST_ACCEPTABLE + "}"));
	}

	@Test
	void officersValidateWithTheDeployedForm() {
		UserTask validation = model.getModelElementById(Element.VALIDATE_APPLICATION);
		assertThat(validation.getCamundaCandidateGroups()).isEqualTo(CertificateRequestProcess.OFFICER_GROUP);
		assertThat(validation.getCamundaFormKey())
			.isEqualTo("camunda-forms:deployment:" + CertificateRequestProcess.VALIDATION_FORM_RESOURCE);
		UserTask second = model.getModelElementById(Element.SECOND_APPROVAL);
		assertThat(second.getCamundaCandidateGroups()).isEqualTo(CertificateRequestProcess.OFFICER_GROUP);
		assertThat(second.getCamundaFormKey()).isEqualTo(validation.getCamundaFormKey());
		assertThat(model.getModelElementsByType(CamundaTaskListener.class))
			.extracting(CamundaTaskListener::getCamundaEvent)
			.containsExactlyInAnyOrder("create", "complete", "create", "complete");
	}

	private static List<String> constants(Class<?> holder) throws IllegalAccessException {
		List<String> values = new ArrayList<>();
		for (Field field : holder.getDeclaredFields()) {
			if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
				values.add((String) field.get(null));
			}
		}
		return values;
	}

}
