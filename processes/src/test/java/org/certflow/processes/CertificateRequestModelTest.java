package org.certflow.processes;

import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.ConditionExpression;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.Message;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.ServiceTask;
import org.camunda.bpm.model.bpmn.instance.TimerEventDefinition;
import org.camunda.bpm.model.bpmn.instance.UserTask;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaFailedJobRetryTimeCycle;
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
		List<String> ids = model.getModelElementsByType(BaseElement.class)
			.stream()
			.filter((element) -> !(element instanceof Process))
			.map(BaseElement::getId)
			.filter(Objects::nonNull)
			.collect(Collectors.toList());
		assertThat(ids).isNotEmpty().allMatch((id) -> id.matches("[A-Z][A-Za-z]+_[A-Z][A-Za-z]+"));
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
		List<String> expressions = constants(Bean.class).stream()
			.filter((bean) -> !bean.equals(Bean.REQUEST_ROUTING))
			.map((bean) -> "${" + bean + "}")
			.collect(Collectors.toList());
		assertThat(bound).allMatch(expressions::contains).containsAll(expressions);
	}

	@Test
	void delegatedServiceTasksRunAsRetriedJobsAndSigningIsLeftToTheExternalSigner() {
		for (ServiceTask task : model.getModelElementsByType(ServiceTask.class)) {
			if (task.getId().equals(Element.SIGN_CERTIFICATE)) {
				assertThat(task.getCamundaType()).isEqualTo("external");
				assertThat(task.getCamundaTopic()).isEqualTo(CertificateRequestProcess.TOPIC_SIGN_CERTIFICATE);
				continue;
			}
			assertThat(task.isCamundaAsyncBefore()).as(task.getId()).isTrue();
			Collection<CamundaFailedJobRetryTimeCycle> cycles = task.getExtensionElements()
				.getChildElementsByType(CamundaFailedJobRetryTimeCycle.class);
			assertThat(cycles).as(task.getId())
				.singleElement()
				.extracting((cycle) -> cycle.getTextContent())
				.isEqualTo("R5/PT1M");
		}
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
		assertThat(expressions).hasSize(9)
			.allMatch((expression) -> (expression.startsWith(routing) && expression.contains(requestId))
					|| expression.matches("\\$\\{!?" + CertificateRequestProcess.Variable.REQUEST_ACCEPTABLE + "}"));
	}

	@Test
	void officersValidateWithTheDeployedForm() {
		UserTask validation = model.getModelElementById(Element.VALIDATE_APPLICATION);
		assertThat(validation.getCamundaCandidateGroups()).isEqualTo(CertificateRequestProcess.OFFICER_GROUP);
		assertThat(validation.getCamundaFormKey())
			.isEqualTo("camunda-forms:deployment:" + CertificateRequestProcess.VALIDATION_FORM_RESOURCE);
		assertThat(model.getModelElementsByType(CamundaTaskListener.class))
			.extracting(CamundaTaskListener::getCamundaEvent)
			.containsExactlyInAnyOrder("create", "complete");
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
